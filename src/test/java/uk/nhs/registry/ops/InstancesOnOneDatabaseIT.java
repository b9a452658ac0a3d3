package uk.nhs.registry.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static uk.nhs.registry.testsupport.Responses.resource;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.hl7.fhir.dstu3.model.Appointment;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import uk.nhs.registry.testsupport.RunningRegistry;
import uk.nhs.registry.testsupport.TestAppointments;
import uk.nhs.registry.testsupport.TestNhsNumbers;

/**
 * Two registry instances (two Camel contexts, two connection pools, two HTTPS ports) on one
 * PostgreSQL, as behind a load balancer: the database decides every race, whichever instance
 * each request lands on.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class InstancesOnOneDatabaseIT {

    private EmbeddedPostgres postgres;
    private RunningRegistry first;
    private RunningRegistry second;

    @BeforeAll
    void start() throws Exception {
        postgres = EmbeddedPostgres.builder().start();
        Map<String, String> database = Map.of(
                "registry.db.url", postgres.getJdbcUrl("postgres", "postgres"),
                "registry.db.user", "postgres");
        first = RunningRegistry.start(database);
        second = RunningRegistry.start(database);
    }

    @AfterAll
    void stop() throws Exception {
        first.close();
        second.close();
        postgres.close();
    }

    /** Request i goes to one instance or the other, as a round-robin balancer sends them. */
    private RunningRegistry instance(int i) {
        return i % 2 == 0 ? first : second;
    }

    @Test
    @Order(1)
    void concurrentRegistrationsOfOneIdentifierAcrossBothInstancesCreateOneRecord() throws Exception {
        String body = TestAppointments.json(TestAppointments.booked(TestNhsNumbers.valid(90)));
        List<HttpResponse<String>> responses = Concurrently.run(10, i -> () -> {
            RunningRegistry registry = instance(i);
            return registry.send(registry.authorised("/Appointment").header("Content-Type", "application/fhir+json")
                    .POST(BodyPublishers.ofString(body)).build());
        });

        assertThat(statuses(responses)).isEqualTo(Map.of(201, 1L, 422, 9L));
        assertThat(responses).filteredOn(r -> r.statusCode() == 422)
                .allSatisfy(r -> assertThat(r.body()).contains("DUPLICATE_REJECTED"));
        String identifier = TestAppointments.parse(body).getIdentifierFirstRep().getValue();
        assertThat(count("select count(*) from appointment_identifier where id_value = ?", identifier)).isEqualTo(1);
        assertThat(count("select count(*) from appointment_version v join appointment_identifier i"
                + " on i.appointment_id = v.id where i.id_value = ?", identifier)).isEqualTo(1);
    }

    @Test
    @Order(2)
    void concurrentCancelsAcrossBothInstancesHaveOneWinner() throws Exception {
        HttpResponse<String> created = first.send(first.authorised("/Appointment").header("Content-Type", "application/fhir+json")
                .POST(BodyPublishers.ofString(TestAppointments.json(TestAppointments.booked(TestNhsNumbers.valid(91))))).build());
        assertThat(created.statusCode()).isEqualTo(201);
        Appointment read = resource(created, Appointment.class);
        String id = read.getIdElement().getIdPart();
        // what one instance wrote, the other reads
        assertThat(second.send(second.authorised("/Appointment/" + id).GET().build()).statusCode()).isEqualTo(200);
        read.setStatus(Appointment.AppointmentStatus.CANCELLED);
        String body = TestAppointments.json(read);

        List<HttpResponse<String>> responses = Concurrently.run(12, i -> () -> {
            RunningRegistry registry = instance(i);
            return registry.send(registry.authorised("/Appointment/" + id).header("Content-Type", "application/fhir+json")
                    .header("If-Match", "W/\"1\"").PUT(BodyPublishers.ofString(body)).build());
        });

        assertThat(statuses(responses)).isEqualTo(Map.of(200, 1L, 409, 11L));
        assertThat(count("select count(*) from appointment_version where id = ?", id)).isEqualTo(2);
        assertThat(count("select count(*) from appointment where id = ? and version = 2 and status = 'cancelled'", id))
                .isEqualTo(1);
    }

    @Test
    @Order(3)
    void whenTheSharedDatabaseGoesEveryInstanceIsNotReadyButStillAlive() throws Exception {
        assertThat(first.management("/observe/health/ready").statusCode()).isEqualTo(200);
        assertThat(second.management("/observe/health/ready").statusCode()).isEqualTo(200);

        postgres.close();

        for (RunningRegistry registry : List.of(first, second)) {
            HttpResponse<String> ready = registry.management("/observe/health/ready");
            assertThat(ready.statusCode()).isEqualTo(503);
            assertThat(ready.body()).contains(DatabaseHealthCheck.ID, "database does not answer");
            assertThat(registry.management("/observe/health/live").statusCode()).isEqualTo(200);
        }
    }

    private static Map<Integer, Long> statuses(List<HttpResponse<String>> responses) {
        return responses.stream().collect(Collectors.groupingBy(HttpResponse::statusCode, Collectors.counting()));
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
