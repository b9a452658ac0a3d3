package uk.nhs.registry.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.List;
import java.util.UUID;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Appointment;
import org.hl7.fhir.r4.model.Appointment.AppointmentStatus;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CapabilityStatement;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import uk.nhs.registry.Fhir;
import uk.nhs.registry.testsupport.MedtechExamples;
import uk.nhs.registry.testsupport.RunningRegistry;
import uk.nhs.registry.testsupport.SharedRegistry;
import uk.nhs.registry.testsupport.TestAppointments;
import uk.nhs.registry.testsupport.TestNhsNumbers;

/** The medTech flavour, FHIR R4 at [base-r4] = [base]/R4: every row of CONTRACT §7, in JSON and XML. */
class MedtechIT {

    enum Format {
        JSON("application/fhir+json"), XML("application/fhir+xml");

        final String mediaType;

        Format(String mediaType) {
            this.mediaType = mediaType;
        }

        String encode(Appointment a) {
            return this == JSON ? MedtechExamples.json(a) : MedtechExamples.xml(a);
        }
    }

    private final RunningRegistry registry = SharedRegistry.get();

    private String r4Base() {
        return registry.baseUrl() + "/R4";
    }

    private HttpResponse<String> post(Appointment a, Format format) {
        return registry.send(registry.authorised("/R4/Appointment").header("Content-Type", format.mediaType)
                .POST(BodyPublishers.ofString(format.encode(a))).build());
    }

    private HttpResponse<String> put(String id, Appointment a, Format format, String ifMatch) {
        HttpRequest.Builder request = registry.authorised("/R4/Appointment/" + id).header("Content-Type", format.mediaType);
        if (ifMatch != null) {
            request.header("If-Match", ifMatch);
        }
        return registry.send(request.PUT(BodyPublishers.ofString(format.encode(a))).build());
    }

    private HttpResponse<String> get(String path) {
        return registry.send(registry.authorised(path).GET().build());
    }

    private Appointment created(Appointment a) {
        HttpResponse<String> response = post(a, Format.JSON);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        return r4(response, Appointment.class);
    }

    private static <T extends IBaseResource> T r4(HttpResponse<String> response, Class<T> type) {
        String contentType = response.headers().firstValue("Content-Type").orElse("");
        var parser = contentType.contains("xml") ? Fhir.r4().newXmlParser() : Fhir.r4().newJsonParser();
        return parser.parseResource(type, response.body());
    }

    /** An R4 OperationOutcome: FHIR issue code and diagnostics, no Spine coding, nothing internal. */
    private static OperationOutcome assertR4Outcome(HttpResponse<String> response, int status, String issueCode) {
        assertThat(response.statusCode()).as("status of %s", response.body()).isEqualTo(status);
        OperationOutcome outcome = r4(response, OperationOutcome.class);
        assertThat(outcome.getIssue()).isNotEmpty();
        assertThat(outcome.getIssue()).extracting(i -> i.getCode().toCode()).contains(issueCode);
        for (OperationOutcome.OperationOutcomeIssueComponent issue : outcome.getIssue()) {
            assertThat(issue.getSeverity()).isEqualTo(OperationOutcome.IssueSeverity.ERROR);
            assertThat(issue.getDiagnostics()).isNotBlank();
            assertThat(issue.getDetails().getCoding()).isEmpty();
        }
        assertThat(response.body()).doesNotContain("Spine-ErrorOrWarningCode").doesNotContain("GPConnect")
                .doesNotContain("Exception").doesNotContain("at uk.nhs").doesNotContain("SQL");
        return outcome;
    }

    private static String diagnostics(OperationOutcome outcome) {
        return String.join("\n", outcome.getIssue().stream().map(OperationOutcome.OperationOutcomeIssueComponent::getDiagnostics).toList());
    }

    // --- capabilities

    @Test
    void metadataIsAnR4CapabilityStatementWithoutAToken() {
        HttpResponse<String> response = registry.send(registry.request("/R4/metadata").GET().build());
        assertThat(response.statusCode()).isEqualTo(200);
        CapabilityStatement statement = r4(response, CapabilityStatement.class);
        assertThat(statement.getFhirVersion().toCode()).isEqualTo("4.0.1");
        assertThat(statement.getImplementation().getUrl()).isEqualTo(r4Base());
        assertThat(statement.getRestFirstRep().getResourceFirstRep().getType()).isEqualTo("Appointment");
    }

    // --- create

    @ParameterizedTest
    @EnumSource(Format.class)
    void aProposedAppointmentIsCreatedBooked(Format format) throws Exception {
        HttpResponse<String> response = post(MedtechExamples.proposed(MedtechExamples.newPatientId()), format);

        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        assertThat(response.headers().firstValue("Content-Type")).hasValue(format.mediaType + ";charset=utf-8");
        Appointment body = r4(response, Appointment.class);
        String id = body.getIdElement().getIdPart();
        assertThat(response.headers().firstValue("Location")).hasValue(r4Base() + "/Appointment/" + id + "/_history/1");
        assertThat(response.headers().firstValue("ETag")).hasValue("W/\"1\"");
        assertThat(body.getStatus()).isEqualTo(AppointmentStatus.BOOKED);
        assertThat(body.getMeta().getVersionId()).isEqualTo("1");
        try (Connection db = registry.database();
                PreparedStatement select = db.prepareStatement(
                        "SELECT flavour, status, patient_reference, nhs_number FROM appointment WHERE id = ?")) {
            select.setString(1, id);
            try (ResultSet row = select.executeQuery()) {
                assertThat(row.next()).isTrue();
                assertThat(row.getString("flavour")).isEqualTo("r4");
                assertThat(row.getString("status")).isEqualTo("booked");
                assertThat(row.getString("patient_reference")).startsWith("Patient/p-");
                assertThat(row.getString("nhs_number")).isNull();
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Format.class)
    void theIgExampleWithSlotAndLocationIsAccepted(Format format) {
        HttpResponse<String> response = post(MedtechExamples.igExample(), format);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        Appointment body = r4(response, Appointment.class);
        assertThat(body.getSlotFirstRep().getReference()).isEqualTo("Slot/example-slot");
        assertThat(body.getParticipant()).extracting(p -> p.getActor().getReference()).contains("Location/example-location");
    }

    @ParameterizedTest
    @EnumSource(Format.class)
    void onlyProposedMayBeCreated(Format format) {
        for (AppointmentStatus status : List.of(AppointmentStatus.BOOKED, AppointmentStatus.PENDING, AppointmentStatus.CANCELLED)) {
            Appointment a = MedtechExamples.proposed(MedtechExamples.newPatientId()).setStatus(status);
            OperationOutcome outcome = assertR4Outcome(post(a, format), 422, "business-rule");
            assertThat(diagnostics(outcome)).contains("must be 'proposed'").contains("'" + status.toCode() + "'");
        }
    }

    @ParameterizedTest
    @EnumSource(Format.class)
    void anIdIsRefused(Format format) {
        Appointment a = MedtechExamples.proposed(MedtechExamples.newPatientId());
        a.setId("my-own-id");
        OperationOutcome outcome = assertR4Outcome(post(a, format), 422, "invalid");
        assertThat(diagnostics(outcome)).contains("Appointment.id must not be sent");
    }

    @ParameterizedTest
    @EnumSource(Format.class)
    void aMissingEndNamesApp3(Format format) {
        Appointment a = MedtechExamples.proposed(MedtechExamples.newPatientId());
        a.setEnd(null);
        OperationOutcome outcome = assertR4Outcome(post(a, format), 422, "required");
        assertThat(diagnostics(outcome)).contains("Appointment.end is required").contains("app-3");
        assertThat(outcome.getIssueFirstRep().getExpression().get(0).getValue()).isEqualTo("Appointment.end");
    }

    @ParameterizedTest
    @EnumSource(Format.class)
    void aMissingStartIsRefused(Format format) {
        Appointment a = MedtechExamples.proposed(MedtechExamples.newPatientId());
        a.setStart(null);
        OperationOutcome outcome = assertR4Outcome(post(a, format), 422, "required");
        assertThat(diagnostics(outcome)).contains("Appointment.start is required").contains("app-3");
    }

    @ParameterizedTest
    @EnumSource(Format.class)
    void aPatientParticipantIsRequired(Format format) {
        Appointment a = MedtechExamples.proposed(MedtechExamples.newPatientId());
        a.getParticipant().remove(0);
        OperationOutcome outcome = assertR4Outcome(post(a, format), 422, "required");
        assertThat(diagnostics(outcome)).contains("A participant whose actor references a Patient is required");
    }

    @ParameterizedTest
    @EnumSource(Format.class)
    void aPractitionerParticipantIsRequired(Format format) {
        Appointment a = MedtechExamples.proposed(MedtechExamples.newPatientId());
        a.getParticipant().remove(1);
        OperationOutcome outcome = assertR4Outcome(post(a, format), 422, "required");
        assertThat(diagnostics(outcome)).contains("A participant whose actor references a Practitioner is required");
    }

    @ParameterizedTest
    @EnumSource(Format.class)
    void aDuplicateIdentifierIsRefused(Format format) {
        String value = UUID.randomUUID().toString();
        Appointment first = MedtechExamples.proposed(MedtechExamples.newPatientId());
        first.addIdentifier().setSystem("https://medtech.example/appointment").setValue(value);
        assertThat(post(first, format).statusCode()).isEqualTo(201);
        Appointment second = MedtechExamples.proposed(MedtechExamples.newPatientId());
        second.addIdentifier().setSystem("https://medtech.example/appointment").setValue(value);
        OperationOutcome outcome = assertR4Outcome(post(second, format), 422, "duplicate");
        assertThat(diagnostics(outcome)).contains("https://medtech.example/appointment|" + value);
    }

    @Test
    void theSameIdentifierMayBeUsedInEachFlavour() {
        // identifiers are unique per flavour: an NHS registration's identifier does not block a medTech one
        var stu3 = TestAppointments.booked(TestNhsNumbers.valid(71));
        HttpResponse<String> nhs = registry.send(registry.authorised("/Appointment").header("Content-Type", "application/fhir+json")
                .POST(BodyPublishers.ofString(TestAppointments.json(stu3))).build());
        assertThat(nhs.statusCode()).as(nhs.body()).isEqualTo(201);
        Appointment a = MedtechExamples.proposed(MedtechExamples.newPatientId());
        a.addIdentifier().setSystem(stu3.getIdentifierFirstRep().getSystem()).setValue(stu3.getIdentifierFirstRep().getValue());
        assertThat(post(a, Format.JSON).statusCode()).isEqualTo(201);
    }

    @Test
    void anStu3BodyIsNotAnR4Appointment() {
        // STU3's rules do not apply and STU3-only elements are not R4: a clear 400, not a 500
        String stu3 = TestAppointments.json(TestAppointments.booked(TestNhsNumbers.valid(72)));
        HttpResponse<String> response = registry.send(registry.authorised("/R4/Appointment")
                .header("Content-Type", "application/fhir+json").POST(BodyPublishers.ofString(stu3)).build());
        assertThat(response.statusCode()).isIn(400, 422);
        assertR4Outcome(response, response.statusCode(), response.statusCode() == 400 ? "structure" : "business-rule");
    }

    // --- read, vread

    @ParameterizedTest
    @EnumSource(Format.class)
    void readAndVreadAnswerWithTheirEtag(Format format) {
        String id = created(MedtechExamples.proposed(MedtechExamples.newPatientId())).getIdElement().getIdPart();
        for (String path : List.of("/R4/Appointment/" + id, "/R4/Appointment/" + id + "/_history/1")) {
            HttpResponse<String> response = registry.send(registry.authorised(path).header("Accept", format.mediaType).GET().build());
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.headers().firstValue("ETag")).hasValue("W/\"1\"");
            assertThat(response.headers().firstValue("Last-Modified")).isPresent();
            assertThat(response.headers().firstValue("Content-Type")).hasValue(format.mediaType + ";charset=utf-8");
            Appointment read = r4(response, Appointment.class);
            assertThat(read.getIdElement().getIdPart()).isEqualTo(id);
            assertThat(read.getStatus()).isEqualTo(AppointmentStatus.BOOKED);
        }
    }

    @Test
    void anUnknownIdIs404() {
        OperationOutcome outcome = assertR4Outcome(get("/R4/Appointment/no-such-appointment"), 404, "not-found");
        assertThat(diagnostics(outcome)).contains("no-such-appointment");
        assertR4Outcome(get("/R4/Appointment/no-such-appointment/_history/1"), 404, "not-found");
    }

    @Test
    void neitherFlavourSeesTheOthersAppointments() {
        String r4Id = created(MedtechExamples.proposed(MedtechExamples.newPatientId())).getIdElement().getIdPart();
        HttpResponse<String> stu3Read = get("/Appointment/" + r4Id);
        assertThat(stu3Read.statusCode()).isEqualTo(404);
        assertThat(stu3Read.body()).contains("Spine-ErrorOrWarningCode"); // answered as STU3 answers

        HttpResponse<String> nhs = registry.send(registry.authorised("/Appointment").header("Content-Type", "application/fhir+json")
                .POST(BodyPublishers.ofString(TestAppointments.json(TestAppointments.booked(TestNhsNumbers.valid(73))))).build());
        assertThat(nhs.statusCode()).isEqualTo(201);
        String stu3Id = Fhir.context().newJsonParser()
                .parseResource(org.hl7.fhir.dstu3.model.Appointment.class, nhs.body()).getIdElement().getIdPart();
        assertR4Outcome(get("/R4/Appointment/" + stu3Id), 404, "not-found");
        assertR4Outcome(get("/R4/Appointment/" + stu3Id + "/_history/1"), 404, "not-found");
    }

    @Test
    void withoutATokenIs403AsAnR4Outcome() {
        HttpResponse<String> response = registry.send(registry.request("/R4/Appointment/x").GET().build());
        assertR4Outcome(response, 403, "forbidden");
    }

    @Test
    void aReadOnlyTokenCannotCreate() {
        HttpResponse<String> response = registry.send(registry.request("/R4/Appointment")
                .header("Authorization", "Bearer " + registry.token("patient/appointment.read"))
                .header("Content-Type", "application/fhir+json")
                .POST(BodyPublishers.ofString(MedtechExamples.json(MedtechExamples.proposed(MedtechExamples.newPatientId()))))
                .build());
        assertR4Outcome(response, 403, "forbidden");
    }

    @Test
    void deleteIs405() {
        String id = created(MedtechExamples.proposed(MedtechExamples.newPatientId())).getIdElement().getIdPart();
        assertR4Outcome(registry.send(registry.authorised("/R4/Appointment/" + id).DELETE().build()), 405, "not-supported");
        assertThat(get("/R4/Appointment/" + id).statusCode()).isEqualTo(200);
    }

    // --- search

    private Bundle search(String query) {
        HttpResponse<String> response = get("/R4/Appointment?" + query);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        Bundle bundle = r4(response, Bundle.class);
        assertThat(bundle.getType()).isEqualTo(Bundle.BundleType.SEARCHSET);
        return bundle;
    }

    private static List<String> ids(Bundle bundle) {
        return bundle.getEntry().stream().map(e -> e.getResource().getIdElement().getIdPart()).toList();
    }

    @Test
    void searchFindsEveryAppointmentOfAPatientInAnySpelling() {
        String patient = MedtechExamples.newPatientId();
        Appointment past = MedtechExamples.proposed(patient);
        past.getStartElement().setValueAsString("2020-01-10T09:00:00+13:00");
        past.getEndElement().setValueAsString("2020-01-10T09:15:00+13:00");
        String pastId = created(past).getIdElement().getIdPart();
        String futureId = created(MedtechExamples.proposed(patient)).getIdElement().getIdPart();
        created(MedtechExamples.proposed(MedtechExamples.newPatientId())); // someone else's

        for (String query : List.of("patient=Patient/" + patient, "patient=" + patient, "actor=Patient/" + patient)) {
            Bundle bundle = search(query);
            // no implicit date filter: the past appointment is found too, ordered by start
            assertThat(ids(bundle)).as(query).containsExactly(pastId, futureId);
            assertThat(bundle.getTotal()).isEqualTo(2);
            assertThat(bundle.getEntryFirstRep().getFullUrl()).isEqualTo(r4Base() + "/Appointment/" + pastId + "/_history/1");
        }
        assertThat(ids(search("patient=" + patient + "&date=ge2025-01-01"))).containsExactly(futureId);
        assertThat(ids(search("patient=" + patient + "&date=lt2025-01-01"))).containsExactly(pastId);
    }

    @Test
    void searchNarrowsByStatusAndPractitioner() {
        String patient = MedtechExamples.newPatientId();
        Appointment other = MedtechExamples.proposed(patient);
        other.getParticipant().get(1).getActor().setReference("Practitioner/prac-2");
        String withPrac2 = created(other).getIdElement().getIdPart();
        Appointment toCancel = created(MedtechExamples.proposed(patient));
        String withPrac1 = toCancel.getIdElement().getIdPart();
        assertThat(put(withPrac1, toCancel.copy().setStatus(AppointmentStatus.CANCELLED), Format.JSON, null).statusCode())
                .isEqualTo(200);

        assertThat(ids(search("patient=" + patient + "&practitioner=Practitioner/prac-2"))).containsExactly(withPrac2);
        assertThat(ids(search("patient=" + patient + "&practitioner=prac-1"))).containsExactly(withPrac1);
        assertThat(ids(search("patient=" + patient + "&status=cancelled"))).containsExactly(withPrac1);
        assertThat(ids(search("patient=" + patient + "&status=booked"))).containsExactly(withPrac2);
    }

    @Test
    void searchAnswersInXmlWhenAsked() {
        String patient = MedtechExamples.newPatientId();
        String id = created(MedtechExamples.proposed(patient)).getIdElement().getIdPart();
        HttpResponse<String> response = get("/R4/Appointment?patient=" + patient + "&_format=xml");
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/fhir+xml;charset=utf-8");
        assertThat(ids(r4(response, Bundle.class))).containsExactly(id);
    }

    @Test
    void aSearchWithoutAPatientOrWithAnUnknownParameterIs400() {
        assertThat(diagnostics(assertR4Outcome(get("/R4/Appointment?status=booked"), 400, "invalid")))
                .contains("must name the patient");
        assertR4Outcome(get("/R4/Appointment?patient=x&patient.identifier=y"), 400, "invalid");
        assertR4Outcome(get("/R4/Appointment?actor=Practitioner/x"), 400, "invalid");
        assertR4Outcome(get("/R4/Appointment?patient=x&status=nonsense"), 400, "invalid");
        assertR4Outcome(get("/R4/Appointment?patient=x&date=tomorrow"), 400, "invalid");
    }

    // --- cancel

    @ParameterizedTest
    @EnumSource(Format.class)
    void cancelWithIfMatch(Format format) {
        Appointment read = created(MedtechExamples.igExample());
        String id = read.getIdElement().getIdPart();
        HttpResponse<String> response = put(id, read.copy().setStatus(AppointmentStatus.CANCELLED), format, "W/\"1\"");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(response.headers().firstValue("ETag")).hasValue("W/\"2\"");
        assertThat(response.headers().firstValue("Location")).hasValue(r4Base() + "/Appointment/" + id + "/_history/2");
        assertThat(r4(response, Appointment.class).getStatus()).isEqualTo(AppointmentStatus.CANCELLED);
        assertThat(r4(get("/R4/Appointment/" + id + "/_history/1"), Appointment.class).getStatus()).isEqualTo(AppointmentStatus.BOOKED);
    }

    @ParameterizedTest
    @EnumSource(Format.class)
    void cancelWithoutIfMatch(Format format) {
        Appointment read = created(MedtechExamples.igExample());
        String id = read.getIdElement().getIdPart();
        HttpResponse<String> response = put(id, read.copy().setStatus(AppointmentStatus.CANCELLED), format, null);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(response.headers().firstValue("ETag")).hasValue("W/\"2\"");
        assertThat(r4(get("/R4/Appointment/" + id), Appointment.class).getStatus()).isEqualTo(AppointmentStatus.CANCELLED);
    }

    @ParameterizedTest
    @EnumSource(Format.class)
    void aStaleIfMatchIs409(Format format) {
        Appointment read = created(MedtechExamples.igExample());
        String id = read.getIdElement().getIdPart();
        OperationOutcome outcome = assertR4Outcome(
                put(id, read.copy().setStatus(AppointmentStatus.CANCELLED), format, "W/\"2\""), 409, "conflict");
        assertThat(diagnostics(outcome)).contains("not the current version");
        assertThat(r4(get("/R4/Appointment/" + id), Appointment.class).getStatus()).isEqualTo(AppointmentStatus.BOOKED);
    }

    @ParameterizedTest
    @EnumSource(Format.class)
    void anyOtherChangeIs422NamingIt(Format format) {
        Appointment read = created(MedtechExamples.igExample());
        Appointment changed = read.copy().setStatus(AppointmentStatus.CANCELLED);
        changed.getStartElement().setValueAsString("2030-03-11T09:00:00+13:00");
        changed.getEndElement().setValueAsString("2030-03-11T09:15:00+13:00");
        OperationOutcome outcome = assertR4Outcome(put(read.getIdElement().getIdPart(), changed, format, null), 422, "business-rule");
        assertThat(diagnostics(outcome)).contains("Only status may change").contains("start").contains("end");
    }

    @ParameterizedTest
    @EnumSource(Format.class)
    void aCancelMustSetCancelled(Format format) {
        Appointment read = created(MedtechExamples.igExample());
        OperationOutcome outcome = assertR4Outcome(
                put(read.getIdElement().getIdPart(), read.copy().setStatus(AppointmentStatus.NOSHOW), format, null), 422, "business-rule");
        assertThat(diagnostics(outcome)).contains("must be 'cancelled'");
    }

    @ParameterizedTest
    @EnumSource(Format.class)
    void anAlreadyCancelledAppointmentIs422(Format format) {
        Appointment read = created(MedtechExamples.igExample());
        String id = read.getIdElement().getIdPart();
        assertThat(put(id, read.copy().setStatus(AppointmentStatus.CANCELLED), format, null).statusCode()).isEqualTo(200);
        Appointment cancelled = r4(get("/R4/Appointment/" + id), Appointment.class);
        OperationOutcome outcome = assertR4Outcome(put(id, cancelled, format, null), 422, "business-rule");
        assertThat(diagnostics(outcome)).contains("already cancelled");
    }

    @Test
    void historyListsEveryVersionNewestFirst() {
        Appointment read = created(MedtechExamples.igExample());
        String id = read.getIdElement().getIdPart();
        assertThat(put(id, read.copy().setStatus(AppointmentStatus.CANCELLED), Format.JSON, null).statusCode()).isEqualTo(200);
        HttpResponse<String> response = get("/R4/Appointment/" + id + "/_history");
        assertThat(response.statusCode()).isEqualTo(200);
        Bundle history = r4(response, Bundle.class);
        assertThat(history.getType()).isEqualTo(Bundle.BundleType.HISTORY);
        assertThat(history.getEntry()).extracting(Bundle.BundleEntryComponent::getFullUrl).containsExactly(
                r4Base() + "/Appointment/" + id + "/_history/2", r4Base() + "/Appointment/" + id + "/_history/1");
    }

    @Test
    void cancelOfAnUnknownIdIs404AndNeverCreates() {
        Appointment body = MedtechExamples.proposed(MedtechExamples.newPatientId()).setStatus(AppointmentStatus.CANCELLED);
        body.setId("never-created");
        assertR4Outcome(put("never-created", body, Format.JSON, null), 404, "not-found");
        assertThat(get("/R4/Appointment/never-created").statusCode()).isEqualTo(404);
    }

    @Test
    void anStu3AppointmentCannotBeCancelledThroughR4() {
        HttpResponse<String> nhs = registry.send(registry.authorised("/Appointment").header("Content-Type", "application/fhir+json")
                .POST(BodyPublishers.ofString(TestAppointments.json(TestAppointments.booked(TestNhsNumbers.valid(74))))).build());
        String stu3Id = Fhir.context().newJsonParser()
                .parseResource(org.hl7.fhir.dstu3.model.Appointment.class, nhs.body()).getIdElement().getIdPart();
        Appointment body = MedtechExamples.proposed(MedtechExamples.newPatientId()).setStatus(AppointmentStatus.CANCELLED);
        body.setId(stu3Id);
        assertR4Outcome(put(stu3Id, body, Format.JSON, null), 404, "not-found");
    }
}
