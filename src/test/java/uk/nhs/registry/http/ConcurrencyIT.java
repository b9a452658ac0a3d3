package uk.nhs.registry.http;

import static org.assertj.core.api.Assertions.assertThat;
import static uk.nhs.registry.testsupport.Responses.resource;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.hl7.fhir.dstu3.model.Appointment;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import uk.nhs.registry.testsupport.RunningRegistry;
import uk.nhs.registry.testsupport.SharedRegistry;
import uk.nhs.registry.testsupport.TestAppointments;
import uk.nhs.registry.testsupport.TestNhsNumbers;

/**
 * Concurrent writes over HTTP, on the embedded default (HSQLDB) and on a real PostgreSQL: one record per
 * identifier, one winner per version.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConcurrencyIT {

    private EmbeddedPostgres postgres;
    private RunningRegistry onPostgres;

    @BeforeAll
    void startPostgres() throws Exception {
        postgres = EmbeddedPostgres.builder().start();
        onPostgres = RunningRegistry.start(Map.of(
                "registry.db.url", postgres.getJdbcUrl("postgres", "postgres"),
                "registry.db.user", "postgres"));
    }

    @AfterAll
    void stopPostgres() throws Exception {
        onPostgres.close();
        postgres.close();
    }

    private RunningRegistry registry(String database) {
        return database.equals("embedded") ? SharedRegistry.get() : onPostgres;
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"embedded", "postgresql"})
    void tenConcurrentRegistrationsOfOneIdentifierCreateOneRecord(String database) throws Exception {
        RunningRegistry registry = registry(database);
        String body = TestAppointments.json(TestAppointments.booked(TestNhsNumbers.valid(60)));
        List<HttpResponse<String>> responses = concurrently(10, () -> registry.send(registry.authorised("/Appointment")
                .header("Content-Type", "application/fhir+json").POST(BodyPublishers.ofString(body)).build()));

        Map<Integer, Long> statuses = responses.stream().collect(Collectors.groupingBy(HttpResponse::statusCode, Collectors.counting()));
        assertThat(statuses).isEqualTo(Map.of(201, 1L, 422, 9L));
        assertThat(responses).filteredOn(r -> r.statusCode() == 422)
                .allSatisfy(r -> assertThat(r.body()).contains("DUPLICATE_REJECTED"));
        String identifier = TestAppointments.parse(body).getIdentifierFirstRep().getValue();
        try (Connection db = registry.database();
                PreparedStatement query = db.prepareStatement("select count(*) from appointment_identifier where id_value = ?")) {
            query.setString(1, identifier);
            try (ResultSet row = query.executeQuery()) {
                row.next();
                assertThat(row.getInt(1)).isEqualTo(1);
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"embedded", "postgresql"})
    void twelveConcurrentCancelsOfOneVersionHaveOneWinner(String database) throws Exception {
        RunningRegistry registry = registry(database);
        HttpResponse<String> created = registry.send(registry.authorised("/Appointment").header("Content-Type", "application/fhir+json")
                .POST(BodyPublishers.ofString(TestAppointments.json(TestAppointments.booked(TestNhsNumbers.valid(61))))).build());
        Appointment read = resource(created, Appointment.class);
        read.setStatus(Appointment.AppointmentStatus.CANCELLED);
        String body = TestAppointments.json(read);
        String id = read.getIdElement().getIdPart();

        List<HttpResponse<String>> responses = concurrently(12, () -> registry.send(registry.authorised("/Appointment/" + id)
                .header("Content-Type", "application/fhir+json").header("If-Match", "W/\"1\"")
                .PUT(BodyPublishers.ofString(body)).build()));

        Map<Integer, Long> statuses = responses.stream().collect(Collectors.groupingBy(HttpResponse::statusCode, Collectors.counting()));
        assertThat(statuses).isEqualTo(Map.of(200, 1L, 409, 11L));
        try (Connection db = registry.database();
                PreparedStatement query = db.prepareStatement("select count(*) from appointment_version where id = ?")) {
            query.setString(1, id);
            try (ResultSet row = query.executeQuery()) {
                row.next();
                assertThat(row.getInt(1)).isEqualTo(2);
            }
        }
    }

    private static <T> List<T> concurrently(int n, Callable<T> call) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(n);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<T>> futures = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                futures.add(pool.submit(() -> {
                    start.await();
                    return call.call();
                }));
            }
            start.countDown();
            List<T> results = new ArrayList<>();
            for (Future<T> future : futures) {
                results.add(future.get(60, TimeUnit.SECONDS));
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
    }
}
