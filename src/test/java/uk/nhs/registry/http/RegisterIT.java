package uk.nhs.registry.http;

import static org.assertj.core.api.Assertions.assertThat;
import static uk.nhs.registry.testsupport.Responses.assertOutcome;
import static uk.nhs.registry.testsupport.Responses.resource;

import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.hl7.fhir.dstu3.model.Appointment;
import org.hl7.fhir.dstu3.model.Identifier;
import org.hl7.fhir.dstu3.model.OperationOutcome;
import org.hl7.fhir.dstu3.model.Reference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import uk.nhs.registry.testsupport.RunningRegistry;
import uk.nhs.registry.testsupport.SharedRegistry;
import uk.nhs.registry.testsupport.TestAppointments;
import uk.nhs.registry.testsupport.TestNhsNumbers;

/** POST [base]/Appointment over mutual TLS with a signed token: CONTRACT §1 "Register". */
class RegisterIT {

    /** HTTP's IMF-fixdate (RFC 9110 §5.6.7), written out here rather than taken from the code under test. */
    private static final DateTimeFormatter HTTP_DATE = DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US);

    private final RunningRegistry registry = SharedRegistry.get();

    private HttpResponse<String> post(String body, String contentType) {
        return registry.send(registry.authorised("/Appointment").header("Content-Type", contentType)
                .POST(BodyPublishers.ofString(body)).build());
    }

    private HttpResponse<String> postJson(Appointment appointment) {
        return post(TestAppointments.json(appointment), "application/fhir+json");
    }

    @Test
    void anIdentifierWithoutASystemBesideAWholeOneIsKeptButNotMadeUnique() {
        Appointment sent = TestAppointments.booked(TestNhsNumbers.valid(2));
        sent.addIdentifier().setValue("local-reference-only");
        HttpResponse<String> first = postJson(sent);
        assertThat(first.statusCode()).as(first.body()).isEqualTo(201);
        assertThat(resource(first, Appointment.class).getIdentifier()).hasSize(2);

        Appointment other = TestAppointments.booked(TestNhsNumbers.valid(2));
        other.addIdentifier().setValue("local-reference-only");
        assertThat(postJson(other).statusCode()).isEqualTo(201);
    }

    @Test
    void registersAndAnswersWithTheStoredVersion() throws Exception {
        Appointment sent = TestAppointments.booked(TestNhsNumbers.valid(1));
        HttpResponse<String> response = postJson(sent);

        assertThat(response.statusCode()).isEqualTo(201);
        Appointment stored = resource(response, Appointment.class);
        String id = stored.getIdElement().getIdPart();
        assertThat(id).matches("[A-Za-z0-9\\-.]{1,64}");
        assertThat(stored.getMeta().getVersionId()).isEqualTo("1");
        assertThat(stored.getMeta().getLastUpdated()).isNotNull();
        assertThat(stored.getIdentifierFirstRep().getValue()).isEqualTo(sent.getIdentifierFirstRep().getValue());
        assertThat(response.headers().firstValue("Location")).hasValue(registry.baseUrl() + "/Appointment/" + id + "/_history/1");
        assertThat(response.headers().firstValue("ETag")).hasValue("W/\"1\"");
        assertThat(response.headers().firstValue("Last-Modified"))
                .hasValue(HTTP_DATE.format(stored.getMeta().getLastUpdated().toInstant().atOffset(ZoneOffset.UTC)));
        assertThat(response.headers().firstValue("Cache-Control")).hasValue("no-store");
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/fhir+json;charset=utf-8");

        try (Connection db = registry.database();
                PreparedStatement query = db.prepareStatement("select status, version from appointment where id = ?")) {
            query.setString(1, id);
            try (ResultSet row = query.executeQuery()) {
                assertThat(row.next()).as("row committed before the answer").isTrue();
                assertThat(row.getString("status")).isEqualTo("booked");
                assertThat(row.getInt("version")).isEqualTo(1);
            }
        }
    }

    @Test
    void registersXmlAndAnswersInXml() {
        HttpResponse<String> response = post(TestAppointments.xml(TestAppointments.booked(TestNhsNumbers.valid(2))),
                "application/fhir+xml");
        assertThat(response.statusCode()).isEqualTo(201);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/fhir+xml;charset=utf-8");
        assertThat(response.body()).startsWith("<Appointment xmlns=\"http://hl7.org/fhir\">");
    }

    @Test
    void acceptsTheLegacyMediaTypes() {
        HttpResponse<String> response = post(TestAppointments.json(TestAppointments.booked(TestNhsNumbers.valid(3))),
                "application/json+fhir");
        assertThat(response.statusCode()).isEqualTo(201);
    }

    @Test
    void preferReturnMinimalGivesAnEmptyBody() {
        HttpResponse<String> response = registry.send(registry.authorised("/Appointment")
                .header("Content-Type", "application/fhir+json").header("Prefer", "return=minimal")
                .POST(BodyPublishers.ofString(TestAppointments.json(TestAppointments.booked(TestNhsNumbers.valid(4))))).build());
        assertThat(response.statusCode()).isEqualTo(201);
        assertThat(response.body()).isEmpty();
        assertThat(response.headers().firstValue("Location")).isPresent();
    }

    @Test
    void preferReturnOperationOutcomeGivesAnOutcome() {
        HttpResponse<String> response = registry.send(registry.authorised("/Appointment")
                .header("Content-Type", "application/fhir+json").header("Prefer", "return=OperationOutcome")
                .POST(BodyPublishers.ofString(TestAppointments.json(TestAppointments.booked(TestNhsNumbers.valid(5))))).build());
        assertThat(response.statusCode()).isEqualTo(201);
        OperationOutcome outcome = resource(response, OperationOutcome.class);
        assertThat(outcome.getIssueFirstRep().getDetails().getCodingFirstRep().getCode()).isEqualTo("RESOURCE_CREATED");
    }

    static Stream<Arguments> brokenRules() {
        return Stream.of(
                rule("carries an id", a -> a.setId("abc"), "MSG_RESOURCE_ID_FAIL"),
                rule("has a description", a -> a.setDescription("secret"), "INVALID_RESOURCE"),
                rule("has supportingInformation", a -> a.addSupportingInformation(new Reference("Observation/1")), "INVALID_RESOURCE"),
                rule("has a slot", a -> a.addSlot(new Reference("Slot/1")), "INVALID_RESOURCE"),
                rule("is pending", a -> a.setStatus(Appointment.AppointmentStatus.PENDING), "INVALID_RESOURCE"),
                rule("has no start", a -> a.setStart(null), "INVALID_RESOURCE"),
                rule("has no created", a -> a.setCreated(null), "INVALID_RESOURCE"),
                rule("has no identifier", a -> a.getIdentifier().clear(), "INVALID_RESOURCE"),
                rule("has an identifier without system", a -> a.getIdentifierFirstRep().setSystem(null), "INVALID_RESOURCE"),
                rule("names no patient", a -> a.getParticipantFirstRep().getActor().setIdentifier(
                        new Identifier().setSystem("https://example.org/staff").setValue("x")), "INVALID_RESOURCE"),
                rule("has a bad NHS number", a -> a.getParticipantFirstRep().getActor().getIdentifier()
                        .setValue(TestNhsNumbers.withBadCheckDigit(7)), "INVALID_NHS_NUMBER"),
                rule("has no participant status", a -> a.getParticipantFirstRep().setStatus(null), "INVALID_RESOURCE"));
    }

    private static Arguments rule(String name, Consumer<Appointment> breakIt, String spineCode) {
        return Arguments.of(name, breakIt, spineCode);
    }

    @ParameterizedTest(name = "422 when the appointment {0}")
    @MethodSource("brokenRules")
    void rejectsAnAppointmentThatBreaksARule(String name, Consumer<Appointment> breakIt, String spineCode) throws Exception {
        Appointment appointment = TestAppointments.booked(TestNhsNumbers.valid(8));
        breakIt.accept(appointment);
        String identifier = appointment.getIdentifierFirstRep().getValue();

        OperationOutcome outcome = assertOutcomeWithCode(postJson(appointment), spineCode);
        assertThat(outcome.getIssue()).allSatisfy(issue -> assertThat(issue.getDiagnostics()).isNotBlank());
        if (identifier != null) {
            assertThat(countIdentifier(identifier)).as("nothing stored").isZero();
        }
    }

    private OperationOutcome assertOutcomeWithCode(HttpResponse<String> response, String spineCode) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(422);
        OperationOutcome outcome = resource(response, OperationOutcome.class);
        assertThat(outcome.getIssue()).anySatisfy(issue ->
                assertThat(issue.getDetails().getCodingFirstRep().getCode()).isEqualTo(spineCode));
        return outcome;
    }

    @Test
    void rejectsAStartThatIsNotAnInstant() {
        String json = TestAppointments.json(TestAppointments.booked(TestNhsNumbers.valid(9)))
                .replaceFirst("\"start\":\"[^\"]+\"", "\"start\":\"2030-02-01\"");
        HttpResponse<String> response = post(json, "application/fhir+json");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(422);
        assertThat(response.body()).contains("start");
    }

    @Test
    void namesTheInvariantWhenABookedAppointmentHasNoEnd() {
        Appointment appointment = TestAppointments.booked(TestNhsNumbers.valid(10));
        appointment.setEnd(null);
        OperationOutcome outcome = assertOutcomeWithCode(postJson(appointment), "INVALID_RESOURCE");
        assertThat(outcome.getIssue()).anySatisfy(issue -> assertThat(issue.getDiagnostics()).contains("app-3"));
    }

    @Test
    void acceptsAPatientNamedByANationalServiceReference() {
        Appointment appointment = TestAppointments.booked(TestNhsNumbers.valid(11));
        appointment.getParticipantFirstRep().setActor(
                new Reference("https://demographics.spineservices.nhs.uk/Patient/" + TestNhsNumbers.valid(11)));
        assertThat(postJson(appointment).statusCode()).isEqualTo(201);
    }

    @Test
    void rejectsASecondRegistrationOfTheSameIdentifier() throws Exception {
        Appointment appointment = TestAppointments.booked(TestNhsNumbers.valid(12));
        assertThat(postJson(appointment).statusCode()).isEqualTo(201);
        assertOutcome(postJson(appointment), 422, "duplicate", "DUPLICATE_REJECTED");
        assertThat(countIdentifier(appointment.getIdentifierFirstRep().getValue())).isEqualTo(1);
    }

    @Test
    void rejectsUnparsableBodiesWith400() {
        assertOutcome(post("{\"resourceType\": \"Appointment\", ", "application/fhir+json"), 400, "structure", "MESSAGE_NOT_WELL_FORMED");
        assertOutcome(post("<Appointment xmlns=\"http://hl7.org/fhir\"><status value=\"booked\"", "application/fhir+xml"),
                400, "structure", "MESSAGE_NOT_WELL_FORMED");
    }

    @Test
    void rejectsAnotherResourceTypeWith400() {
        assertOutcome(post("{\"resourceType\":\"Patient\"}", "application/fhir+json"), 400, "structure", "INVALID_REQUEST_MESSAGE");
    }

    @Test
    void rejectsUnknownElementsWith400() {
        String json = TestAppointments.json(TestAppointments.booked(TestNhsNumbers.valid(13)))
                .replaceFirst("\\{", "{\"colour\":\"blue\",");
        HttpResponse<String> response = post(json, "application/fhir+json");
        assertOutcome(response, 400, "structure", "MESSAGE_NOT_WELL_FORMED");
        assertThat(response.body()).contains("colour");
    }

    @Test
    void rejectsXmlWithADoctype() {
        String xml = "<?xml version=\"1.0\"?><!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]>"
                + TestAppointments.xml(TestAppointments.booked(TestNhsNumbers.valid(14))).replace("booked", "&e;");
        HttpResponse<String> response = post(xml, "application/fhir+xml");
        assertOutcome(response, 400, "security", "MESSAGE_NOT_WELL_FORMED");
        assertThat(response.body()).doesNotContain("root:");
    }

    @Test
    void rejectsABodyOverTheLimitWith413() {
        String padding = "x".repeat(1_100_000);
        Appointment appointment = TestAppointments.booked(TestNhsNumbers.valid(15));
        appointment.setComment(padding);
        assertOutcome(postJson(appointment), 413, "too-costly", "BAD_REQUEST");
    }

    @Test
    void rejectsAnUnsupportedContentTypeWith415() {
        assertOutcome(post("hello", "text/plain"), 415, "not-supported", "UNSUPPORTED_MEDIA_TYPE");
    }

    @Test
    void rejectsAnUnsatisfiableAcceptWith406() {
        HttpResponse<String> response = registry.send(registry.authorised("/Appointment").header("Accept", "text/html")
                .header("Content-Type", "application/fhir+json")
                .POST(BodyPublishers.ofString(TestAppointments.json(TestAppointments.booked(TestNhsNumbers.valid(16))))).build());
        assertOutcome(response, 406, "not-supported", "BAD_REQUEST");
    }

    @Test
    void formatParameterBeatsAccept() {
        HttpResponse<String> response = registry.send(registry.authorised("/Appointment?_format=xml")
                .header("Accept", "application/fhir+json").header("Content-Type", "application/fhir+json")
                .POST(BodyPublishers.ofString(TestAppointments.json(TestAppointments.booked(TestNhsNumbers.valid(17))))).build());
        assertThat(response.statusCode()).isEqualTo(201);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/fhir+xml;charset=utf-8");
    }

    @Test
    void startInThePastIsStillRegistered() {
        Appointment appointment = TestAppointments.booked(TestNhsNumbers.valid(18), "urn:past:" + System.nanoTime(),
                Instant.now().minus(3, ChronoUnit.DAYS));
        assertThat(postJson(appointment).statusCode()).isEqualTo(201);
    }

    private int countIdentifier(String value) throws Exception {
        try (Connection db = registry.database();
                PreparedStatement query = db.prepareStatement("select count(*) from appointment_identifier where id_value = ?")) {
            query.setString(1, value);
            try (ResultSet row = query.executeQuery()) {
                row.next();
                return row.getInt(1);
            }
        }
    }
}
