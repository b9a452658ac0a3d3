package uk.nhs.registry.http;

import static org.assertj.core.api.Assertions.assertThat;
import static uk.nhs.registry.testsupport.Responses.assertOutcome;
import static uk.nhs.registry.testsupport.Responses.resource;

import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Date;
import org.hl7.fhir.dstu3.model.Appointment;
import org.hl7.fhir.dstu3.model.Bundle;
import org.hl7.fhir.dstu3.model.OperationOutcome;
import org.junit.jupiter.api.Test;
import uk.nhs.registry.testsupport.RunningRegistry;
import uk.nhs.registry.testsupport.SharedRegistry;
import uk.nhs.registry.testsupport.TestAppointments;
import uk.nhs.registry.testsupport.TestNhsNumbers;

/** GET [base]/Appointment/{id}, vread and PUT (cancel): CONTRACT §1 "Read", "Cancel". */
class ReadAndCancelIT {

    private final RunningRegistry registry = SharedRegistry.get();

    private Appointment register() {
        HttpResponse<String> response = registry.send(registry.authorised("/Appointment")
                .header("Content-Type", "application/fhir+json")
                .POST(BodyPublishers.ofString(TestAppointments.json(TestAppointments.booked(TestNhsNumbers.valid(30))))).build());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        return resource(response, Appointment.class);
    }

    private HttpResponse<String> get(String path) {
        return registry.send(registry.authorised(path).GET().build());
    }

    private HttpResponse<String> put(String id, Appointment body, String ifMatch) {
        HttpRequest.Builder request = registry.authorised("/Appointment/" + id).header("Content-Type", "application/fhir+json");
        if (ifMatch != null) {
            request.header("If-Match", ifMatch);
        }
        return registry.send(request.PUT(BodyPublishers.ofString(TestAppointments.json(body))).build());
    }

    private static Appointment cancelled(Appointment read) {
        Appointment copy = read.copy();
        copy.setStatus(Appointment.AppointmentStatus.CANCELLED);
        return copy;
    }

    @Test
    void readsTheCurrentVersionWithItsEtag() {
        Appointment registered = register();
        String id = registered.getIdElement().getIdPart();
        HttpResponse<String> response = get("/Appointment/" + id);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("ETag")).hasValue("W/\"1\"");
        assertThat(response.headers().firstValue("Last-Modified")).isPresent();
        Appointment read = resource(response, Appointment.class);
        assertThat(read.getIdElement().getIdPart()).isEqualTo(id);
        assertThat(read.getIdentifierFirstRep().getValue()).isEqualTo(registered.getIdentifierFirstRep().getValue());
    }

    @Test
    void readsInXmlWhenAskedTo() {
        String id = register().getIdElement().getIdPart();
        HttpResponse<String> response = registry.send(registry.authorised("/Appointment/" + id)
                .header("Accept", "application/xml+fhir").GET().build());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/fhir+xml;charset=utf-8");
        assertThat(resource(response, Appointment.class).getIdElement().getIdPart()).isEqualTo(id);
    }

    @Test
    void unknownIdIs404() {
        assertOutcome(get("/Appointment/no-such-appointment"), 404, "not-found", "NO_RECORD_FOUND");
        assertOutcome(get("/Appointment/no-such-appointment/_history/1"), 404, "not-found", "NO_RECORD_FOUND");
    }

    @Test
    void malformedIdIs400() {
        assertOutcome(get("/Appointment/" + "a".repeat(65)), 400, "invalid", "BAD_REQUEST");
        assertOutcome(get("/Appointment/bad_id!"), 400, "invalid", "BAD_REQUEST");
    }

    @Test
    void cancelsAndKeepsEveryVersionReadable() throws Exception {
        Appointment read = register();
        String id = read.getIdElement().getIdPart();

        HttpResponse<String> response = put(id, cancelled(read), "W/\"1\"");

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(response.headers().firstValue("Location")).hasValue(registry.baseUrl() + "/Appointment/" + id + "/_history/2");
        assertThat(response.headers().firstValue("ETag")).hasValue("W/\"2\"");
        Appointment updated = resource(response, Appointment.class);
        assertThat(updated.getStatus()).isEqualTo(Appointment.AppointmentStatus.CANCELLED);
        assertThat(updated.getMeta().getVersionId()).isEqualTo("2");

        Appointment v1 = resource(get("/Appointment/" + id + "/_history/1"), Appointment.class);
        Appointment v2 = resource(get("/Appointment/" + id + "/_history/2"), Appointment.class);
        assertThat(v1.getStatus()).isEqualTo(Appointment.AppointmentStatus.BOOKED);
        assertThat(v2.getStatus()).isEqualTo(Appointment.AppointmentStatus.CANCELLED);
        assertThat(resource(get("/Appointment/" + id), Appointment.class).getMeta().getVersionId()).isEqualTo("2");
        try (Connection db = registry.database();
                PreparedStatement query = db.prepareStatement("select status, version from appointment where id = ?")) {
            query.setString(1, id);
            try (ResultSet row = query.executeQuery()) {
                assertThat(row.next()).isTrue();
                assertThat(row.getString("status")).isEqualTo("cancelled");
                assertThat(row.getInt("version")).isEqualTo(2);
            }
        }
    }

    /** history-instance, as a FHIR client's history() asks for it: every version, newest first. */
    @Test
    void historyListsEveryVersionNewestFirst() {
        Appointment read = register();
        String id = read.getIdElement().getIdPart();
        assertThat(put(id, cancelled(read), "W/\"1\"").statusCode()).isEqualTo(200);

        for (String path : new String[] {"/Appointment/" + id + "/_history", "/Appointment/" + id + "/_history/"}) {
            HttpResponse<String> response = get(path);
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            Bundle history = resource(response, Bundle.class);
            assertThat(history.getType()).isEqualTo(Bundle.BundleType.HISTORY);
            assertThat(history.getTotal()).isEqualTo(2);
            assertThat(history.getEntry()).extracting(e -> e.getFullUrl()).containsExactly(
                    registry.baseUrl() + "/Appointment/" + id + "/_history/2",
                    registry.baseUrl() + "/Appointment/" + id + "/_history/1");
            assertThat(history.getEntry()).extracting(e -> ((Appointment) e.getResource()).getStatus())
                    .containsExactly(Appointment.AppointmentStatus.CANCELLED, Appointment.AppointmentStatus.BOOKED);
            assertThat(history.getEntry()).extracting(e -> e.getRequest().getMethod())
                    .containsExactly(Bundle.HTTPVerb.PUT, Bundle.HTTPVerb.POST);
        }
        HttpResponse<String> xml = registry.send(registry.authorised("/Appointment/" + id + "/_history?_format=xml").GET().build());
        assertThat(xml.statusCode()).isEqualTo(200);
        assertThat(xml.body()).startsWith("<Bundle");
        assertOutcome(get("/Appointment/no-such-appointment/_history"), 404, "not-found", "NO_RECORD_FOUND");
        assertOutcome(registry.send(registry.authorised("/Appointment/" + id + "/_history")
                .DELETE().build()), 405, "not-supported", "INVALID_REQUEST_TYPE");
    }

    @Test
    void acceptsAStrongEtagToo() {
        Appointment read = register();
        assertThat(put(read.getIdElement().getIdPart(), cancelled(read), "\"1\"").statusCode()).isEqualTo(200);
    }

    @Test
    void withoutIfMatchIs412() {
        Appointment read = register();
        assertOutcome(put(read.getIdElement().getIdPart(), cancelled(read), null), 412, "processing", "PRECONDITION_FAILED");
    }

    @Test
    void malformedIfMatchIs400() {
        Appointment read = register();
        assertOutcome(put(read.getIdElement().getIdPart(), cancelled(read), "version-one"), 400, "invalid",
                "MISSING_OR_INVALID_HEADER");
    }

    @Test
    void unknownIdIs404AndNothingIsCreated() throws Exception {
        Appointment read = register();
        Appointment body = cancelled(read);
        body.setId("never-registered");
        assertOutcome(put("never-registered", body, "W/\"1\""), 404, "not-found", "NO_RECORD_FOUND");
        try (Connection db = registry.database();
                PreparedStatement query = db.prepareStatement("select count(*) from appointment where id = 'never-registered'");
                ResultSet row = query.executeQuery()) {
            row.next();
            assertThat(row.getInt(1)).isZero();
        }
    }

    @Test
    void bodyIdMissingOrDifferentIs400() {
        Appointment read = register();
        String id = read.getIdElement().getIdPart();
        Appointment withoutId = cancelled(read);
        withoutId.setIdElement(null);
        assertOutcome(put(id, withoutId, "W/\"1\""), 400, "required", "BAD_REQUEST");
        Appointment otherId = cancelled(read);
        otherId.setId("someone-else");
        assertOutcome(put(id, otherId, "W/\"1\""), 400, "invalid", "BAD_REQUEST");
    }

    @Test
    void staleIfMatchIs409() {
        Appointment read = register();
        String id = read.getIdElement().getIdPart();
        assertThat(put(id, cancelled(read), "W/\"1\"").statusCode()).isEqualTo(200);
        assertOutcome(put(id, cancelled(read), "W/\"1\""), 409, "conflict", "FHIR_CONSTRAINT_VIOLATION");
    }

    @Test
    void statusOtherThanCancelledIs422() {
        Appointment read = register();
        Appointment body = read.copy();
        body.setStatus(Appointment.AppointmentStatus.ARRIVED);
        assertOutcome(put(read.getIdElement().getIdPart(), body, "W/\"1\""), 422, "business-rule", "INVALID_RESOURCE");
    }

    @Test
    void cancellingACancelledAppointmentIs422() {
        Appointment read = register();
        String id = read.getIdElement().getIdPart();
        HttpResponse<String> first = put(id, cancelled(read), "W/\"1\"");
        Appointment again = resource(first, Appointment.class);
        assertOutcome(put(id, again, "W/\"2\""), 422, "business-rule", "INVALID_RESOURCE");
    }

    @Test
    void anyOtherChangeIs422AndNamesTheElement() {
        Appointment read = register();
        Appointment body = cancelled(read);
        body.setStart(new Date(body.getStart().getTime() + 3_600_000));
        body.setEnd(new Date(body.getEnd().getTime() + 3_600_000));
        HttpResponse<String> response = put(read.getIdElement().getIdPart(), body, "W/\"1\"");
        OperationOutcome outcome = assertOutcome(response, 422, "business-rule", "INVALID_RESOURCE");
        assertThat(outcome.getIssueFirstRep().getDiagnostics()).contains("start");
        assertThat(get("/Appointment/" + read.getIdElement().getIdPart()).headers().firstValue("ETag")).hasValue("W/\"1\"");
    }
}
