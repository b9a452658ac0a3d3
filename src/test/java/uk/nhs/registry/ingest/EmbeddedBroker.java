package uk.nhs.registry.ingest;

import jakarta.jms.Connection;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Queue;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.activemq.artemis.api.core.QueueConfiguration;
import org.apache.activemq.artemis.api.core.RoutingType;
import org.apache.activemq.artemis.core.config.Configuration;
import org.apache.activemq.artemis.core.config.impl.ConfigurationImpl;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;
import org.apache.activemq.artemis.core.settings.impl.AddressSettings;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import uk.nhs.registry.testsupport.Folders;

/**
 * A real ActiveMQ Artemis broker in this JVM, listening on 127.0.0.1 only, with a small client
 * for the tests: what a feed's sender and an operator watching the dead-letter queue would do.
 */
public final class EmbeddedBroker implements AutoCloseable {

    /** Addresses matching this have no auto-created queues: a reply there fails until the queue exists. */
    public static final String STRICT_PREFIX = "strict.";

    private final EmbeddedActiveMQ server;
    private final int port;
    private final ActiveMQConnectionFactory factory;
    private final Connection connection;
    private final Path dir;

    private EmbeddedBroker(EmbeddedActiveMQ server, int port, Path dir) throws JMSException {
        this.server = server;
        this.port = port;
        this.dir = dir;
        this.factory = new ActiveMQConnectionFactory(url());
        this.connection = factory.createConnection();
        connection.start();
    }

    public static EmbeddedBroker start() {
        try {
            Path dir = Files.createTempDirectory("artemis-test");
            int port = freePort();
            Configuration config = new ConfigurationImpl()
                    .setPersistenceEnabled(false)
                    .setSecurityEnabled(false)
                    .setJMXManagementEnabled(false)
                    .setJournalDirectory(dir.resolve("journal").toString())
                    .setBindingsDirectory(dir.resolve("bindings").toString())
                    .setPagingDirectory(dir.resolve("paging").toString())
                    .setLargeMessagesDirectory(dir.resolve("large").toString())
                    .addAcceptorConfiguration("tcp", "tcp://127.0.0.1:" + port);
            // The registry's feed queue: redelivered after a short pause, never given up by the broker.
            config.addAddressSetting("#", new AddressSettings().setRedeliveryDelay(100).setMaxDeliveryAttempts(-1));
            // The client falls back to the 1.x "jms.queue." name when an address is missing: both stay missing.
            for (String strict : new String[] {STRICT_PREFIX + "#", "jms.queue." + STRICT_PREFIX + "#"}) {
                config.addAddressSetting(strict, new AddressSettings().setRedeliveryDelay(100)
                        .setMaxDeliveryAttempts(-1).setAutoCreateQueues(false).setAutoCreateAddresses(false));
            }
            EmbeddedActiveMQ server = new EmbeddedActiveMQ().setConfiguration(config);
            server.start();
            return new EmbeddedBroker(server, port, dir);
        } catch (Exception e) {
            throw new IllegalStateException("broker did not start", e);
        }
    }

    public String url() {
        return "tcp://127.0.0.1:" + port;
    }

    /** Sends a text message, with the given string properties, and returns its JMSMessageID. */
    public String send(String queue, String text, Map<String, String> properties) {
        try (Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
                MessageProducer producer = session.createProducer(session.createQueue(queue))) {
            TextMessage message = session.createTextMessage(text);
            for (Map.Entry<String, String> property : properties.entrySet()) {
                message.setStringProperty(property.getKey(), property.getValue());
            }
            producer.send(message);
            return message.getJMSMessageID();
        } catch (JMSException e) {
            throw new IllegalStateException(e);
        }
    }

    public String send(String queue, String text) {
        return send(queue, text, Map.of());
    }

    /** Sends a text message asking for a reply on {@code replyQueue}; returns its JMSMessageID. */
    public String sendWithReplyTo(String queue, String text, String replyQueue) {
        return sendWithReplyTo(queue, text, replyQueue, Map.of());
    }

    public String sendWithReplyTo(String queue, String text, String replyQueue, Map<String, String> properties) {
        try (Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
                MessageProducer producer = session.createProducer(session.createQueue(queue))) {
            TextMessage message = session.createTextMessage(text);
            // Named without a look-up: the reply queue may not exist yet.
            message.setJMSReplyTo(org.apache.activemq.artemis.api.jms.ActiveMQJMSClient.createQueue(replyQueue));
            for (Map.Entry<String, String> property : properties.entrySet()) {
                message.setStringProperty(property.getKey(), property.getValue());
            }
            producer.send(message);
            return message.getJMSMessageID();
        } catch (JMSException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The next message on the queue, or null if none arrives within the wait. */
    public Message receive(String queue, long waitMillis) {
        try (Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
                MessageConsumer consumer = session.createConsumer(session.createQueue(queue))) {
            return consumer.receive(waitMillis);
        } catch (JMSException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The next message on the queue matching a JMS selector, or null if none arrives within the wait. */
    public Message receive(String queue, String selector, long waitMillis) {
        try (Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
                MessageConsumer consumer = session.createConsumer(session.createQueue(queue), selector)) {
            return consumer.receive(waitMillis);
        } catch (JMSException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Every message on the queue now, taken off it. */
    public List<Message> drain(String queue) {
        List<Message> messages = new ArrayList<>();
        try (Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
                MessageConsumer consumer = session.createConsumer(session.createQueue(queue))) {
            for (Message m = consumer.receive(200); m != null; m = consumer.receive(200)) {
                messages.add(m);
            }
            return messages;
        } catch (JMSException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Messages waiting on (or being delivered from) a queue, as the broker counts them. */
    public long messageCount(String queue) {
        var binding = server.getActiveMQServer().locateQueue(queue);
        return binding == null ? 0 : binding.getMessageCount();
    }

    /** Creates an anycast queue of that name (for addresses without auto-creation). */
    public void createQueue(String queue) {
        try {
            server.getActiveMQServer().createQueue(QueueConfiguration.of(queue).setRoutingType(RoutingType.ANYCAST)
                    .setAutoCreateAddress(true));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        try {
            connection.close();
            factory.close();
            server.stop();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        Folders.deleteRecursively(dir);
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
