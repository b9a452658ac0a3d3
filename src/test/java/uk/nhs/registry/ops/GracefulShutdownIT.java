package uk.nhs.registry.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.hl7.fhir.dstu3.model.Appointment;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import uk.nhs.registry.testsupport.RunningRegistry;
import uk.nhs.registry.testsupport.TestAppointments;
import uk.nhs.registry.testsupport.TestNhsNumbers;

/**
 * Stopping the registry (what SIGTERM does: camel-main's shutdown hook stops the context) while
 * registrations are in flight. To have requests reliably in flight without timing anything, the
 * test holds a lock on the appointment table from its own connection: the registrations wait in
 * the database until the test lets them go, after the stop has begun.
 */
class GracefulShutdownIT {

    private static final int IN_FLIGHT = 3;

    private EmbeddedPostgres postgres;
    private RunningRegistry registry;
    private final ExecutorService clients = Executors.newFixedThreadPool(IN_FLIGHT + 1);

    @BeforeEach
    void start() throws Exception {
        postgres = EmbeddedPostgres.builder().start();
        registry = RunningRegistry.start(Map.of(
                "registry.db.url", postgres.getJdbcUrl("postgres", "postgres"),
                "registry.db.user", "postgres"));
    }

    @AfterEach
    void stop() throws Exception {
        clients.shutdownNow();
        registry.close();
        postgres.close();
    }

    @Test
    void requestsInFlightWhenStoppedCompleteAndAreStoredNewOnesAreTurnedAwayThenThePortClosesAndThePoolIsReleased() throws Exception {
        List<String> identifiers = new ArrayList<>();
        List<Future<HttpResponse<String>>> inFlight = new ArrayList<>();
        Future<?> stopping;
        try (Connection lock = postgres.getPostgresDatabase().getConnection()) {
            lock.setAutoCommit(false);
            try (Statement statement = lock.createStatement()) {
                // Readers pass, writers (INSERT) wait until this transaction ends.
                statement.execute("LOCK TABLE appointment IN EXCLUSIVE MODE");
            }
            for (int i = 0; i < IN_FLIGHT; i++) {
                Appointment appointment = TestAppointments.booked(TestNhsNumbers.valid(100 + i));
                identifiers.add(appointment.getIdentifierFirstRep().getValue());
                String body = TestAppointments.json(appointment);
                inFlight.add(clients.submit(() -> registry.send(registry.authorised("/Appointment")
                        .header("Content-Type", "application/fhir+json").POST(BodyPublishers.ofString(body)).build())));
            }
            awaitCondition("registrations waiting on the lock", () -> waitingOnLock() == IN_FLIGHT);
            assertThat(registry.camelContext().getInflightRepository().size("fhir-api")).isEqualTo(IN_FLIGHT);

            stopping = clients.submit(registry::stop);
            awaitCondition("the registry to begin stopping", () -> registry.camelContext() == null
                    || registry.camelContext().isStopping() || registry.camelContext().isStopped());
            // Stopped taking requests: a new one is turned away, and readiness tells the balancer so.
            HttpResponse<String> late = registry.send(registry.authorised("/metadata").GET().build());
            assertThat(late.statusCode()).isEqualTo(503);
            HttpResponse<String> ready = registry.management("/observe/health/ready");
            assertThat(ready.statusCode()).isEqualTo(503);
            assertThat(ready.body()).contains("\"status\":\"DOWN\"", "shutting down");
            // Nothing is acknowledged yet: the stop is waiting for the requests in flight.
            assertThat(inFlight).noneMatch(Future::isDone);
            lock.rollback();
        }

        for (Future<HttpResponse<String>> response : inFlight) {
            assertThat(response.get(60, TimeUnit.SECONDS).statusCode()).isEqualTo(201);
        }
        stopping.get(60, TimeUnit.SECONDS);

        for (String identifier : identifiers) {
            assertThat(count("select count(*) from appointment_identifier where id_value = ?", identifier)).isEqualTo(1);
        }
        assertThatThrownBy(() -> {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", registry.port()), 5_000);
            }
        }).as("the FHIR port is closed after the stop").isInstanceOf(IOException.class);
        awaitCondition("the pool's connections to close", () -> registryConnections() == 0);
    }

    /** Polls a condition about the system's state (not about time), a bounded number of times. */
    private static void awaitCondition(String what, BooleanSupplier condition) throws InterruptedException {
        for (int attempt = 0; attempt < 600; attempt++) {
            if (condition.getAsBoolean()) {
                return;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("gave up waiting for " + what);
    }

    private int waitingOnLock() {
        return uncheckedCount("select count(*) from pg_locks where not granted and relation = 'appointment'::regclass");
    }

    /** Connections other than the test's own: the registry's pool. */
    private int registryConnections() {
        return uncheckedCount("select count(*) from pg_stat_activity where datname = 'postgres'"
                + " and backend_type = 'client backend' and pid <> pg_backend_pid()");
    }

    private int uncheckedCount(String sql) {
        try (Connection db = postgres.getPostgresDatabase().getConnection();
                Statement statement = db.createStatement();
                ResultSet row = statement.executeQuery(sql)) {
            row.next();
            return row.getInt(1);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private int count(String sql, String parameter) throws Exception {
        try (Connection db = postgres.getPostgresDatabase().getConnection();
                PreparedStatement query = db.prepareStatement(sql)) {
            query.setString(1, parameter);
            try (ResultSet row = query.executeQuery()) {
                row.next();
                return row.getInt(1);
            }
        }
    }
}
