package uk.nhs.registry.expiry;

import static org.assertj.core.api.Assertions.assertThat;
import static uk.nhs.registry.testsupport.Responses.assertOutcome;
import static uk.nhs.registry.testsupport.Responses.resource;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.camel.ConsumerTemplate;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.hl7.fhir.dstu3.model.Appointment;
import org.hl7.fhir.dstu3.model.Bundle;
import org.hl7.fhir.dstu3.model.OperationOutcome;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import uk.nhs.registry.Fhir;
import uk.nhs.registry.testsupport.AuditRows;
import uk.nhs.registry.testsupport.DatabaseScan;
import uk.nhs.registry.testsupport.MedtechExamples;
import uk.nhs.registry.testsupport.RunningRegistry;
import uk.nhs.registry.testsupport.SharedRegistry;
import uk.nhs.registry.testsupport.TestAppointments;
import uk.nhs.registry.testsupport.TestNhsNumbers;

/**
 * Expiry as a consumer, an operator and a feed see it (CONTRACT §6), on the real registry: an
 * appointment registered with a `created` long past is accepted, expires when the job runs (run on
 * demand here through its direct endpoint), and is then gone from every interaction with 410.
 */
class ExpiryIT {

    private static final String FEED = "seda:expiry-test-feed";
    private static final String DEAD = "seda:expiry-test-dead";
    private static final Pattern EXPIRED_METRIC = Pattern.compile(
            "(?m)^registry_appointments_expired_total\\{flavour=\"stu3\",?}\\s+(\\S+)$");

    private static RunningRegistry registry;

    @BeforeAll
    static void start() {
        registry = RunningRegistry.start(Map.of(
                "registry.expiry.after-created", "P400D",
                "registry.expiry.after-end", "P30D",
                // the first run is at start; the tests run it on demand after that
                "registry.expiry.interval", "PT1H",
                "registry.ingest.uri", FEED,
                "registry.ingest.dead-letter-uri", DEAD,
                "registry.ingest.source-name", "expiry-test-feed"));
    }

    @AfterAll
    static void stop() {
        registry.close();
    }

    @Test
    void anExpiredAppointmentIsGoneFromEveryInteractionAndItsIdentifierRegistersAgain() throws Exception {
        String nhs = TestNhsNumbers.valid(961);
        String survivorNhs = TestNhsNumbers.valid(962);
        Appointment due = TestAppointments.booked(nhs);
        due.setCreated(Date.from(Instant.now().minus(401, ChronoUnit.DAYS)));
        String identifier = due.getIdentifierFirstRep().getValue();

        // the write path knows nothing of expiry: already due, still 201
        HttpResponse<String> created = post(due);
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        Appointment stored = resource(created, Appointment.class);
        String id = stored.getIdElement().getIdPart();
        Appointment cancel = stored.copy();
        cancel.setStatus(Appointment.AppointmentStatus.CANCELLED);
        HttpResponse<String> cancelled = registry.send(registry.authorised("/Appointment/" + id)
                .header("Content-Type", "application/fhir+json").header("If-Match", "W/\"1\"")
                .PUT(HttpRequest.BodyPublishers.ofString(TestAppointments.json(cancel))).build());
        assertThat(cancelled.statusCode()).as(cancelled.body()).isEqualTo(200);
        String survivor = resource(post(TestAppointments.booked(survivorNhs)), Appointment.class).getIdElement().getIdPart();
        double expiredBefore = expiredMetric();

        runExpiry();

        long expiredAt = ((Number) AuditRows.query(registry, "SELECT expired_at FROM expired_appointment WHERE id = ?", id)
                .get(0).get("expired_at")).longValue();
        String when = Instant.ofEpochMilli(expiredAt).toString();
        for (String path : List.of("/Appointment/" + id, "/Appointment/" + id + "/_history/1",
                "/Appointment/" + id + "/_history/2", "/Appointment/" + id + "/_history")) {
            OperationOutcome outcome = assertOutcome(get(path), 410, "not-found", "RESOURCE_DELETED");
            assertThat(outcome.getIssueFirstRep().getDiagnostics()).as(path).contains("Appointment/" + id, "expired", when);
        }
        Appointment again = cancel.copy();
        again.getMeta().setVersionId("2");
        HttpResponse<String> put = registry.send(registry.authorised("/Appointment/" + id)
                .header("Content-Type", "application/fhir+json").header("If-Match", "W/\"2\"")
                .PUT(HttpRequest.BodyPublishers.ofString(TestAppointments.json(again))).build());
        assertThat(assertOutcome(put, 410, "not-found", "RESOURCE_DELETED").getIssueFirstRep().getDiagnostics()).contains(when);

        Bundle search = resource(get("/Appointment?patient.identifier=https://fhir.nhs.uk/Id/nhs-number%7C" + nhs), Bundle.class);
        assertThat(search.getEntry()).isEmpty();
        assertThat(get("/Appointment/" + survivor).statusCode()).isEqualTo(200);

        try (Connection db = registry.database()) {
            assertThat(DatabaseScan.tables(db)).contains("appointment", "appointment_version", "audit_event");
            assertThat(DatabaseScan.columnsContaining(db, nhs)).isEmpty();
            assertThat(DatabaseScan.columnsContaining(db, survivorNhs)).isNotEmpty(); // the scan does see live rows
        }
        assertThat(AuditRows.ofAppointment(registry, id)).filteredOn(row -> "delete".equals(row.get("interaction")))
                .singleElement().satisfies(row -> {
                    assertThat(row.get("source")).isEqualTo("expiry");
                    assertThat(row.get("appointment_version")).isEqualTo(2);
                    assertThat(row.get("token_subject")).isNull();
                });
        assertThat(expiredMetric()).isEqualTo(expiredBefore + 1);

        // the identifier is free again: a new registration, a new id
        Appointment reRegistered = TestAppointments.booked(nhs, identifier, Instant.now().plus(2, ChronoUnit.DAYS));
        HttpResponse<String> second = post(reRegistered);
        assertThat(second.statusCode()).as(second.body()).isEqualTo(201);
        assertThat(resource(second, Appointment.class).getIdElement().getIdPart()).isNotEqualTo(id);
    }

    @Test
    void aFeedCancelOfAnExpiredAppointmentIsDeadLetteredWith410() throws Exception {
        Appointment due = TestAppointments.booked(TestNhsNumbers.valid(963), "urn:uuid:feed-expired-" + System.nanoTime(),
                Instant.now().minus(40, ChronoUnit.DAYS));
        HttpResponse<String> created = post(due);
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        Appointment cancel = resource(created, Appointment.class);
        cancel.setStatus(Appointment.AppointmentStatus.CANCELLED);
        runExpiry();

        String payload = TestAppointments.json(cancel);
        ProducerTemplate producer = registry.camelContext().createProducerTemplate();
        producer.sendBody(FEED, payload);

        ConsumerTemplate consumer = registry.camelContext().createConsumerTemplate();
        Exchange dead = consumer.receive(DEAD, 30_000);
        assertThat(dead).as("a dead letter").isNotNull();
        assertThat(dead.getMessage().getBody(String.class)).isEqualTo(payload);
        assertThat(dead.getMessage().getHeader("RegistryStatus", Integer.class)).isEqualTo(410);
        assertThat(dead.getMessage().getHeader("RegistrySpineCode", String.class)).isEqualTo("RESOURCE_DELETED");
        OperationOutcome outcome = Fhir.context().newJsonParser().parseResource(OperationOutcome.class,
                dead.getMessage().getHeader("RegistryOperationOutcome", String.class));
        assertThat(outcome.getIssueFirstRep().getDiagnostics()).contains("expired");
    }

    /** CONTRACT §7: R4 appointments take part in expiry like STU3 ones; the 410 is R4's own outcome. */
    @Test
    void anExpiredMedtechAppointmentIsGoneWithAnR4Outcome() {
        org.hl7.fhir.r4.model.Appointment past = MedtechExamples.proposed(MedtechExamples.newPatientId());
        past.setStart(Date.from(Instant.now().minus(61, ChronoUnit.DAYS)));
        past.setEnd(Date.from(Instant.now().minus(60, ChronoUnit.DAYS)));
        HttpResponse<String> created = registry.send(registry.authorised("/R4/Appointment")
                .header("Content-Type", "application/fhir+json")
                .POST(HttpRequest.BodyPublishers.ofString(MedtechExamples.json(past))).build());
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        String id = Fhir.r4().newJsonParser().parseResource(org.hl7.fhir.r4.model.Appointment.class, created.body())
                .getIdElement().getIdPart();

        runExpiry();

        for (String path : new String[] {"/R4/Appointment/" + id, "/R4/Appointment/" + id + "/_history/1"}) {
            HttpResponse<String> gone = get(path);
            assertThat(gone.statusCode()).as(path).isEqualTo(410);
            org.hl7.fhir.r4.model.OperationOutcome outcome = Fhir.r4().newJsonParser()
                    .parseResource(org.hl7.fhir.r4.model.OperationOutcome.class, gone.body());
            assertThat(outcome.getIssueFirstRep().getDiagnostics()).contains("expired");
            assertThat(outcome.getIssueFirstRep().getDetails().getCoding()).isEmpty();
        }
        // the other flavour never knew it
        assertThat(get("/Appointment/" + id).statusCode()).isEqualTo(404);
    }

    @Test
    void withNeitherAgeSetThereIsNoExpiryRoute() {
        // the shared registry runs with the defaults: expiry off
        assertThat(SharedRegistry.get().camelContext().getRoute("expire-appointments")).isNull();
        assertThat(SharedRegistry.get().camelContext().getRoute("expire-appointments-now")).isNull();
        assertThat(registry.camelContext().getRoute("expire-appointments")).isNotNull();
    }

    private static void runExpiry() {
        registry.camelContext().createProducerTemplate().sendBody("direct:expire-appointments", null);
    }

    private static HttpResponse<String> post(Appointment appointment) {
        return registry.send(registry.authorised("/Appointment").header("Content-Type", "application/fhir+json")
                .POST(HttpRequest.BodyPublishers.ofString(TestAppointments.json(appointment))).build());
    }

    private static HttpResponse<String> get(String path) {
        return registry.send(registry.authorised(path).header("Accept", "application/fhir+json").GET().build());
    }

    private static double expiredMetric() {
        String scrape = registry.management("/observe/metrics").body();
        Matcher m = EXPIRED_METRIC.matcher(scrape);
        assertThat(m.find()).as("registry_appointments_expired_total{flavour=\"stu3\"} in the scrape").isTrue();
        return Double.parseDouble(m.group(1));
    }
}
