package uk.nhs.registry.ops;

import static org.assertj.core.api.Assertions.assertThat;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import jakarta.jms.Connection;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.activemq.artemis.core.config.impl.ConfigurationImpl;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import uk.nhs.registry.testsupport.RunningRegistry;
import uk.nhs.registry.testsupport.TestAppointments;
import uk.nhs.registry.testsupport.TestNhsNumbers;

/**
 * Two registry instances on one PostgreSQL consuming one feed queue on an (embedded, loopback)
 * Artemis broker as competing consumers: every message is applied exactly once, and both
 * instances take a share. Configured only through the registry's keys, as README "Several instances"
 * tells an operator to.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CompetingFeedConsumersIT {

    private static final int MESSAGES = 40;
    private static final String QUEUE = "appointments";

    private EmbeddedPostgres postgres;
    private EmbeddedActiveMQ broker;
    private String brokerUrl;
    private final List<RunningRegistry> instances = new ArrayList<>();

    @BeforeAll
    void start() throws Exception {
        postgres = EmbeddedPostgres.builder().start();
        brokerUrl = "tcp://127.0.0.1:" + freePort();
        broker = new EmbeddedActiveMQ().setConfiguration(new ConfigurationImpl()
                .setPersistenceEnabled(false).setSecurityEnabled(false)
                .addAcceptorConfiguration("loopback", brokerUrl));
        broker.start();
        Map<String, String> properties = new HashMap<>();
        properties.put("registry.db.url", postgres.getJdbcUrl("postgres", "postgres"));
        properties.put("registry.db.user", "postgres");
        properties.put("registry.ingest.jms.broker-url", brokerUrl);
        properties.put("registry.ingest.uri", "jms:queue:" + QUEUE + "?concurrentConsumers=2&transacted=true");
        properties.put("registry.ingest.dead-letter-uri", "jms:queue:" + QUEUE + ".rejected?transacted=true");
        instances.add(RunningRegistry.start(properties));
        instances.add(RunningRegistry.start(properties));
    }

    @AfterAll
    void stop() throws Exception {
        instances.forEach(RunningRegistry::close);
        broker.stop();
        postgres.close();
    }

    @Test
    void everyMessageOnTheSharedQueueIsAppliedOnceAndBothInstancesTakeAShare() throws Exception {
        try (ActiveMQConnectionFactory factory = new ActiveMQConnectionFactory(brokerUrl);
                Connection connection = factory.createConnection();
                Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE)) {
            MessageProducer producer = session.createProducer(session.createQueue(QUEUE));
            for (int i = 0; i < MESSAGES; i++) {
                producer.send(session.createTextMessage(TestAppointments.json(TestAppointments.booked(TestNhsNumbers.valid(200 + i)))));
            }
        }

        awaitCondition(() -> count("select count(*) from appointment") == MESSAGES);
        assertThat(count("select count(*) from appointment_identifier")).isEqualTo(MESSAGES);
        assertThat(count("select count(*) from appointment_version")).isEqualTo(MESSAGES);
        for (RunningRegistry instance : instances) {
            PrometheusScrape metrics = new PrometheusScrape(instance.management("/observe/metrics").body());
            assertThat(metrics.value("registry_feed_messages_total")).as("each instance consumed some").isPositive();
        }
        double consumed = 0;
        for (RunningRegistry instance : instances) {
            consumed += new PrometheusScrape(instance.management("/observe/metrics").body())
                    .value("registry_appointments_registered_total");
        }
        assertThat(consumed).isEqualTo(MESSAGES);
    }

    /** Polls the database's state a bounded number of times. */
    private void awaitCondition(java.util.function.BooleanSupplier condition) throws InterruptedException {
        for (int attempt = 0; attempt < 1200; attempt++) {
            if (condition.getAsBoolean()) {
                return;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("the feed was not drained into the registry");
    }

    private int count(String sql) {
        try (java.sql.Connection db = postgres.getPostgresDatabase().getConnection();
                Statement statement = db.createStatement();
                ResultSet row = statement.executeQuery(sql)) {
            row.next();
            return row.getInt(1);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
