package uk.nhs.registry.ingest;

import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.TextMessage;
import java.util.Map;
import uk.nhs.registry.testsupport.RunningRegistry;

/**
 * One embedded Artemis broker and one registry whose feed reads from it, shared by the JMS feed
 * test classes of a test run (starting the registry is the slow part). The registry's HTTP API is
 * up as well, so both entry paths can be compared on one database.
 */
final class JmsFeed {

    static final String FEED = "appointments.in";
    static final String DEAD = "appointments.dead";
    static final String SOURCE = "jms-test-feed";
    /** A sender-stamped message id, which the registry is configured to prefer over JMSMessageID. */
    static final String ID_HEADER = "FeedMessageId";

    private static JmsFeed instance;

    final EmbeddedBroker broker;
    final RunningRegistry registry;

    private JmsFeed() {
        broker = EmbeddedBroker.start();
        registry = RunningRegistry.start(Map.of(
                "registry.ingest.uri", "jms:queue:" + FEED,
                "registry.ingest.dead-letter-uri", "jms:queue:" + DEAD,
                "registry.ingest.jms.broker-url", broker.url(),
                "registry.ingest.source-name", SOURCE,
                "registry.ingest.message-id-header", ID_HEADER,
                "registry.ingest.retry.delay-ms", "100"));
    }

    static synchronized JmsFeed get() {
        if (instance == null) {
            instance = new JmsFeed();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                instance.registry.close();
                instance.broker.close();
            }));
        }
        return instance;
    }

    /** The dead letter of the message recorded under this request id, or null if none comes. */
    Message deadLetter(String requestId, long waitMillis) {
        return broker.receive(DEAD, "RegistryRequestId = '" + requestId.replace("'", "''") + "'", waitMillis);
    }

    static String text(Message message) {
        try {
            return ((TextMessage) message).getText();
        } catch (JMSException e) {
            throw new IllegalStateException(e);
        }
    }

    static String property(Message message, String name) {
        try {
            return message.getObjectProperty(name) == null ? null : message.getObjectProperty(name).toString();
        } catch (JMSException e) {
            throw new IllegalStateException(e);
        }
    }
}
