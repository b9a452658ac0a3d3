package uk.nhs.registry.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.hl7.fhir.dstu3.model.Appointment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import uk.nhs.registry.testsupport.AuditRows;
import uk.nhs.registry.testsupport.Responses;
import uk.nhs.registry.testsupport.RunningRegistry;
import uk.nhs.registry.testsupport.SharedRegistry;
import uk.nhs.registry.testsupport.TestAppointments;
import uk.nhs.registry.testsupport.TestNhsNumbers;

/**
 * The audit trail (audit_event) as an operator reads it: a row per write and per rejected write,
 * with who, what, when and how it ended, never the NHS number or the resource.
 */
@Timeout(60)
class AuditTrailIT {

    private static final String DEV_CLIENT = "CN=dev-client,O=Appointment Registry Dev";
    private final RunningRegistry registry = SharedRegistry.get();

    @Test
    void aRegisterACancelAndARejectedCancelAreEachRecorded() {
        String nhs = TestNhsNumbers.valid(900);
        String registerId = "audit-register-" + UUID.randomUUID();
        HttpResponse<String> created = registry.send(registry.authorised("/Appointment").header("X-Request-Id", registerId)
                .header("Content-Type", "application/fhir+json")
                .POST(BodyPublishers.ofString(TestAppointments.json(TestAppointments.booked(nhs)))).build());
        assertThat(created.statusCode()).isEqualTo(201);
        Appointment stored = Responses.resource(created, Appointment.class);
        String id = stored.getIdElement().getIdPart();

        Map<String, Object> register = single(AuditRows.ofRequest(registry, registerId));
        assertThat(register).containsEntry("interaction", "create").containsEntry("appointment_id", id)
                .containsEntry("appointment_version", 1).containsEntry("outcome_status", 201)
                .containsEntry("spine_code", "RESOURCE_CREATED")
                .containsEntry("token_issuer", "urn:appointment-registry:dev-issuer").containsEntry("token_subject", "test-client")
                .containsEntry("certificate_subject", DEV_CLIENT).containsEntry("source", "http");
        assertThat((Long) register.get("recorded_at")).isPositive();
        assertHoldsNoPatientData(register, nhs);

        stored.setStatus(Appointment.AppointmentStatus.CANCELLED);
        String cancelId = "audit-cancel-" + UUID.randomUUID();
        assertThat(cancel(id, stored, "W/\"1\"", cancelId).statusCode()).isEqualTo(200);
        assertThat(single(AuditRows.ofRequest(registry, cancelId))).containsEntry("interaction", "update")
                .containsEntry("appointment_id", id).containsEntry("appointment_version", 2)
                .containsEntry("outcome_status", 200).containsEntry("spine_code", "RESOURCE_UPDATED")
                .containsEntry("token_subject", "test-client");

        String staleId = "audit-stale-" + UUID.randomUUID();
        assertThat(cancel(id, stored, "W/\"1\"", staleId).statusCode()).isEqualTo(409);
        Map<String, Object> stale = single(AuditRows.ofRequest(registry, staleId));
        assertThat(stale).containsEntry("interaction", "update").containsEntry("appointment_id", id)
                .containsEntry("appointment_version", 1).containsEntry("outcome_status", 409)
                .containsEntry("spine_code", "FHIR_CONSTRAINT_VIOLATION").containsEntry("token_subject", "test-client")
                .containsEntry("certificate_subject", DEV_CLIENT);
        assertHoldsNoPatientData(stale, nhs);

        // Cancelling keeps the history: the appointment's trail is create, update, rejected update.
        assertThat(AuditRows.ofAppointment(registry, id)).extracting(row -> row.get("outcome_status")).containsExactly(201, 200, 409);
    }

    @Test
    void aRejectedRegisterIsRecordedWithoutTheNhsNumberItQuoted() {
        String badNhs = TestNhsNumbers.withBadCheckDigit(901);
        String requestId = "audit-bad-" + UUID.randomUUID();
        HttpResponse<String> response = registry.send(registry.authorised("/Appointment").header("X-Request-Id", requestId)
                .header("Content-Type", "application/fhir+json")
                .POST(BodyPublishers.ofString(TestAppointments.json(TestAppointments.booked(badNhs)))).build());
        assertThat(response.statusCode()).isEqualTo(422);
        assertThat(response.body()).contains(badNhs); // the client is told which number; the audit trail is not
        Map<String, Object> row = single(AuditRows.ofRequest(registry, requestId));
        assertThat(row).containsEntry("interaction", "create").containsEntry("appointment_id", null)
                .containsEntry("outcome_status", 422).containsEntry("spine_code", "INVALID_NHS_NUMBER");
        assertHoldsNoPatientData(row, badNhs);
    }

    @Test
    void aCancelOfAnUnknownAppointmentAndAnUnrecognisedWriteAreRecorded() {
        String unknown = "audit-unknown-" + UUID.randomUUID();
        Appointment body = TestAppointments.booked(TestNhsNumbers.valid(902));
        body.setId("no-such-appointment");
        body.setStatus(Appointment.AppointmentStatus.CANCELLED);
        assertThat(cancel("no-such-appointment", body, "W/\"1\"", unknown).statusCode()).isEqualTo(404);
        assertThat(single(AuditRows.ofRequest(registry, unknown))).containsEntry("interaction", "update")
                .containsEntry("appointment_id", "no-such-appointment").containsEntry("outcome_status", 404)
                .containsEntry("spine_code", "NO_RECORD_FOUND");

        String delete = "audit-delete-" + UUID.randomUUID();
        assertThat(registry.send(registry.authorised("/Appointment/abc").header("X-Request-Id", delete).DELETE().build())
                .statusCode()).isEqualTo(405);
        assertThat(single(AuditRows.ofRequest(registry, delete))).containsEntry("interaction", "DELETE")
                .containsEntry("outcome_status", 405);
    }

    @Test
    void readsAreNotAudited() {
        String requestId = "audit-read-" + UUID.randomUUID();
        assertThat(registry.send(registry.authorised("/Appointment/whatever").header("X-Request-Id", requestId).GET().build())
                .statusCode()).isEqualTo(404);
        assertThat(AuditRows.ofRequest(registry, requestId)).isEmpty();
    }

    private HttpResponse<String> cancel(String id, Appointment body, String ifMatch, String requestId) {
        return registry.send(registry.authorised("/Appointment/" + id).header("X-Request-Id", requestId)
                .header("If-Match", ifMatch).header("Content-Type", "application/fhir+json")
                .PUT(BodyPublishers.ofString(TestAppointments.json(body))).build());
    }

    private static Map<String, Object> single(List<Map<String, Object>> rows) {
        assertThat(rows).hasSize(1);
        return rows.get(0);
    }

    private static void assertHoldsNoPatientData(Map<String, Object> row, String nhsNumber) {
        assertThat(row.keySet()).doesNotContain("resource", "nhs_number");
        assertThat(row.values().toString()).doesNotContain(nhsNumber).doesNotContain("Appointment\"");
    }
}
