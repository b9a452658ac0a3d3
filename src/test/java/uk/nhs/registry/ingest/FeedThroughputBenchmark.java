package uk.nhs.registry.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import uk.nhs.registry.testsupport.RunningRegistry;
import uk.nhs.registry.testsupport.TestAppointments;
import uk.nhs.registry.testsupport.TestNhsNumbers;

/**
 * Prints how many registrations per second flow from an Artemis queue into the embedded default (HSQLDB)
 * store: parse, content-based routing, rules and profile validation, idempotency look-up, the
 * write, the JMS commit. A figure to read, not an assertion. More messages or consumers:
 * {@code mvn -B -ntp -q test -Dtest=FeedThroughputBenchmark -Dingest.benchmark.messages=2000
 * -Dingest.benchmark.consumers=2}.
 */
class FeedThroughputBenchmark {

    private static final String FEED = "benchmark.in";
    private static final int WARM_UP = 50;

    @Test
    void printsFeedThroughput() throws Exception {
        int messages = Integer.getInteger("ingest.benchmark.messages", 500);
        int consumers = Integer.getInteger("ingest.benchmark.consumers", 1);
        try (EmbeddedBroker broker = EmbeddedBroker.start();
                RunningRegistry registry = RunningRegistry.start(Map.of(
                        "registry.ingest.uri", "jms:queue:" + FEED + "?concurrentConsumers=" + consumers,
                        "registry.ingest.dead-letter-uri", "jms:queue:benchmark.dead",
                        "registry.ingest.jms.broker-url", broker.url()))) {
            sendAndWait(broker, registry, 0, WARM_UP);

            long started = System.nanoTime();
            sendAndWait(broker, registry, WARM_UP, messages);
            double seconds = (System.nanoTime() - started) / 1e9;

            System.out.printf("FEED THROUGHPUT: %d registrations through Artemis into HSQLDB with %d consumer(s) in %.2f s"
                    + " = %.0f messages/s%n", messages, consumers, seconds, messages / seconds);
            assertThat(broker.messageCount("benchmark.dead")).isZero();
        }
    }

    private static void sendAndWait(EmbeddedBroker broker, RunningRegistry registry, int already, int count) {
        for (int i = 0; i < count; i++) {
            broker.send(FEED, TestAppointments.json(TestAppointments.booked(TestNhsNumbers.valid(1000 + already + i))));
        }
        Eventually.await(count + " registrations", Duration.ofMinutes(5), () -> appointments(registry) == already + count);
    }

    private static int appointments(RunningRegistry registry) {
        try (Connection db = registry.database(); Statement statement = db.createStatement();
                ResultSet row = statement.executeQuery("SELECT COUNT(*) FROM appointment")) {
            row.next();
            return row.getInt(1);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
