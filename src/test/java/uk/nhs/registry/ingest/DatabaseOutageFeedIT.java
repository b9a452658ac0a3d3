package uk.nhs.registry.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import uk.nhs.registry.testsupport.RunningRegistry;
import uk.nhs.registry.testsupport.TestAppointments;
import uk.nhs.registry.testsupport.TestNhsNumbers;

/**
 * The database goes away while 200 messages wait on the feed and comes back within the retry
 * window: afterwards every message has exactly one outcome, none lost, none applied twice, none
 * dead-lettered. PostgreSQL (embedded, stopped and started again on the same data folder and
 * port) because that is the production database and its shutdown is a real one.
 */
class DatabaseOutageFeedIT {

    private static final int MESSAGES = 200;
    private static final String FEED = "outage.in";
    private static final String DEAD = "outage.dead";

    @Test
    void queuedMessagesSurviveADatabaseOutageExactlyOnce() throws Exception {
        Path data = Files.createTempDirectory("outage-pg");
        int port = freePort();
        EmbeddedPostgres postgres = postgres(data, port);
        String url = "jdbc:postgresql://127.0.0.1:" + port + "/postgres";
        try (EmbeddedBroker broker = EmbeddedBroker.start();
                RunningRegistry registry = RunningRegistry.start(Map.of(
                        "registry.db.url", url,
                        "registry.db.user", "postgres",
                        "registry.db.password", "",
                        "registry.ingest.uri", "jms:queue:" + FEED,
                        "registry.ingest.dead-letter-uri", "jms:queue:" + DEAD,
                        "registry.ingest.jms.broker-url", broker.url(),
                        "registry.ingest.retry.attempts", "30",
                        "registry.ingest.retry.delay-ms", "200",
                        "registry.ingest.retry.max-delay-ms", "2000"))) {
            postgres.close();

            List<String> identifiers = new ArrayList<>();
            for (int i = 0; i < MESSAGES; i++) {
                var appointment = TestAppointments.booked(TestNhsNumbers.valid(100 + i));
                identifiers.add(appointment.getIdentifierFirstRep().getValue());
                broker.send(FEED, TestAppointments.json(appointment));
            }
            // Longer than the pool's 10 s connection timeout, so the first message's attempts fail and are
            // retried by the feed's redelivery rather than merely waiting for a connection.
            Thread.sleep(12_000);
            assertThat(broker.messageCount(FEED)).as("nothing taken off the feed while the database is down")
                    .isEqualTo(MESSAGES);

            postgres = postgres(data, port);
            Eventually.await("every message off the feed", Duration.ofMinutes(3), () -> broker.messageCount(FEED) == 0);

            try (Connection db = DriverManager.getConnection(url, "postgres", "")) {
                assertThat(count(db, "SELECT COUNT(*) FROM appointment")).isEqualTo(MESSAGES);
                assertThat(count(db, "SELECT COUNT(*) FROM appointment_version")).isEqualTo(MESSAGES);
                assertThat(count(db, "SELECT COUNT(DISTINCT request_id) FROM appointment_version")).isEqualTo(MESSAGES);
                for (String identifier : identifiers) {
                    assertThat(count(db, "SELECT COUNT(*) FROM appointment_identifier WHERE id_value = '" + identifier + "'"))
                            .as(identifier).isEqualTo(1);
                }
            }
            assertThat(broker.messageCount(DEAD)).as("dead letters").isZero();
        } finally {
            postgres.close();
        }
    }

    private static EmbeddedPostgres postgres(Path data, int port) throws IOException {
        return EmbeddedPostgres.builder().setDataDirectory(data).setCleanDataDirectory(false).setPort(port).start();
    }

    private static int count(Connection db, String sql) throws SQLException {
        try (Statement statement = db.createStatement(); ResultSet row = statement.executeQuery(sql)) {
            row.next();
            return row.getInt(1);
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
