package uk.nhs.registry.security;

import static org.assertj.core.api.Assertions.assertThat;
import static uk.nhs.registry.testsupport.Responses.assertAssignedRequestId;
import static uk.nhs.registry.testsupport.Responses.assertOutcome;

import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import uk.nhs.registry.testsupport.RawHttps;
import uk.nhs.registry.testsupport.RunningRegistry;
import uk.nhs.registry.testsupport.SharedRegistry;
import uk.nhs.registry.testsupport.TestAppointments;
import uk.nhs.registry.testsupport.TestNhsNumbers;

/**
 * Hostile input: each is answered with a 4xx OperationOutcome, promptly, and stores
 * nothing. "Stores nothing" is checked by the appointment's own identifier, which each hostile
 * body carries where it can.
 */
@Timeout(60)
class HostileInputIT {

    private static final int MAX_BODY_BYTES = 1024 * 1024; // the default registry.http.max-body-bytes
    private final RunningRegistry registry = SharedRegistry.get();

    @Test
    void xmlWithADoctypeIsRefused() throws SQLException {
        String marker = marker();
        String xml = "<?xml version=\"1.0\"?><!DOCTYPE Appointment [<!ELEMENT Appointment ANY>]>" + xmlAppointment(marker);
        assertOutcome(postXml(xml), 400, "security", "MESSAGE_NOT_WELL_FORMED");
        assertNothingStored(marker);
    }

    @Test
    void anExternalEntityIsNeverResolved() throws SQLException {
        String marker = marker();
        String xml = "<?xml version=\"1.0\"?><!DOCTYPE a [<!ENTITY xxe SYSTEM \"file:///etc/passwd\">]>"
                + xmlAppointment(marker).replace("<status value=\"booked\"/>", "<status value=\"booked\"/><comment value=\"&xxe;\"/>");
        HttpResponse<String> response = postXml(xml);
        assertOutcome(response, 400, "security", "MESSAGE_NOT_WELL_FORMED");
        assertThat(response.body()).doesNotContain("root:");
        assertNothingStored(marker);
    }

    @Test
    void entityExpansionIsRefusedBeforeExpanding() throws SQLException {
        StringBuilder laughs = new StringBuilder("<?xml version=\"1.0\"?><!DOCTYPE lolz [<!ENTITY lol \"lol\">");
        laughs.append("<!ENTITY lol1 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">");
        for (int i = 2; i <= 9; i++) {
            laughs.append("<!ENTITY lol").append(i).append(" \"");
            laughs.append(("&lol" + (i - 1) + ";").repeat(10)).append("\">");
        }
        laughs.append("]>");
        String marker = marker();
        String xml = laughs + xmlAppointment(marker).replace("<status value=\"booked\"/>",
                "<status value=\"booked\"/><comment value=\"&lol9;\"/>");
        assertOutcome(postXml(xml), 400, "security", "MESSAGE_NOT_WELL_FORMED");
        assertNothingStored(marker);
    }

    @Test
    void aBodyFarOverTheLimitIsRefusedByItsContentLengthBeforeItIsSent() {
        // Only the headers of a 64 MiB body are sent: the answer cannot depend on reading the body.
        try (RawHttps connection = RawHttps.connect(registry, 10_000)) {
            RawHttps.RawResponse response = connection.send(postHeaders("Content-Length: " + (64 * 1024 * 1024))).readResponse();
            assertTooLarge(response);
        }
    }

    @Test
    void aBodyJustOverTheLimitIsAnsweredCleanly() throws SQLException {
        // Sent in full by an ordinary client: it must get the 413, not a connection reset.
        String marker = marker();
        HttpResponse<String> response = registry.send(registry.authorised("/Appointment")
                .header("Content-Type", "application/fhir+json")
                .POST(BodyPublishers.ofByteArray(padded(marker, MAX_BODY_BYTES + 100_000))).build());
        assertOutcome(response, 413, "too-costly", "BAD_REQUEST");
        assertNothingStored(marker);
    }

    @Test
    void aChunkedBodyOverTheLimitIsRefusedOnceTheLimitIsPassed() throws SQLException {
        // One chunk of limit + 1 bytes and no end: the registry must answer after reading just that
        // much (a reader that waited for the whole body would wait for ever, and the read times out).
        String marker = marker();
        byte[] chunk = padded(marker, MAX_BODY_BYTES + 1);
        try (RawHttps connection = RawHttps.connect(registry, 10_000)) {
            connection.send(postHeaders("Transfer-Encoding: chunked")).send(Integer.toHexString(chunk.length) + "\r\n").send(chunk);
            assertTooLarge(connection.readResponse());
        }
        assertNothingStored(marker);
    }

    private String postHeaders(String framing) {
        return "POST /fhir/Appointment HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + registry.token()
                + "\r\nContent-Type: application/fhir+json\r\n" + framing + "\r\n\r\n";
    }

    private static void assertTooLarge(RawHttps.RawResponse response) {
        assertThat(response.status()).as(response.text()).isEqualTo(413);
        assertThat(response.body()).contains("\"resourceType\":\"OperationOutcome\"").contains("\"code\":\"too-costly\"");
    }

    @Test
    void aJsonPropertyWithAnEmptyNameIsA400() throws SQLException {
        // Found by AppointmentFuzzIT: this made the HAPI parser throw StringIndexOutOfBoundsException (500).
        String marker = marker();
        String json = TestAppointments.json(TestAppointments.booked(TestNhsNumbers.valid(706), marker,
                java.time.Instant.now().plusSeconds(86_400))).replace("\"created\"", "\"\"");
        assertOutcome(postJson(json), 400, "structure", "MESSAGE_NOT_WELL_FORMED");
        assertNothingStored(marker);
    }

    @Test
    void deeplyNestedJsonIsRefused() throws SQLException {
        String marker = marker();
        String nested = "[".repeat(100_000) + "]".repeat(100_000);
        String json = TestAppointments.json(TestAppointments.booked(TestNhsNumbers.valid(700), marker,
                java.time.Instant.now().plusSeconds(86_400))).replaceFirst("\\{", "{\"extension\":" + nested + ",");
        assertOutcome(postJson(json), 400, "structure", "MESSAGE_NOT_WELL_FORMED");
        assertNothingStored(marker);
    }

    @Test
    void deeplyNestedXmlIsRefused() throws SQLException {
        String marker = marker();
        String nested = "<extension url=\"http://x\">".repeat(20_000) + "</extension>".repeat(20_000);
        String xml = xmlAppointment(marker).replace("<status value=\"booked\"/>", nested + "<status value=\"booked\"/>");
        HttpResponse<String> response = postXml(xml);
        assertThat(response.statusCode()).isBetween(400, 499);
        assertOutcome(response, response.statusCode(), response.statusCode() == 400 ? "structure" : "processing",
                response.statusCode() == 400 ? "MESSAGE_NOT_WELL_FORMED" : "INVALID_RESOURCE");
        assertNothingStored(marker);
    }

    @Test
    void aMegabyteStringInOneFieldIsRefused() throws SQLException {
        String marker = marker();
        var appointment = TestAppointments.booked(TestNhsNumbers.valid(701), marker, java.time.Instant.now().plusSeconds(86_400));
        appointment.setComment("x".repeat(1_000_000));
        HttpResponse<String> response = postJson(TestAppointments.json(appointment));
        var outcome = assertOutcome(response, 422, "too-long", "INVALID_RESOURCE");
        assertThat(outcome.getIssueFirstRep().getDiagnostics()).contains("Appointment.comment");
        assertThat(response.body()).hasSizeLessThan(20_000);
        assertNothingStored(marker);
    }

    @Test
    void invalidUtf8IsRefused() throws SQLException {
        String marker = marker();
        byte[] json = TestAppointments.json(TestAppointments.booked(TestNhsNumbers.valid(702), marker,
                java.time.Instant.now().plusSeconds(86_400))).getBytes(StandardCharsets.UTF_8);
        byte[] broken = new byte[json.length + 2];
        System.arraycopy(json, 0, broken, 0, json.length - 1);
        broken[json.length - 1] = (byte) 0xC3; // a lead byte followed by no continuation
        broken[json.length] = (byte) 0x28;
        broken[json.length + 1] = '}';
        HttpResponse<String> response = registry.send(registry.authorised("/Appointment")
                .header("Content-Type", "application/fhir+json").POST(BodyPublishers.ofByteArray(broken)).build());
        assertOutcome(response, 400, "structure", "MESSAGE_NOT_WELL_FORMED");
        assertNothingStored(marker);
    }

    @ParameterizedTest
    @ValueSource(strings = {"/Appointment/" + "a" + "12345678901234567890123456789012345678901234567890123456789012345",
            "/Appointment/abc$def", "/Appointment/abc_def", "/Appointment/abc/_history/1$"})
    void idsOutsideFhirsAlphabetAreRefused(String path) {
        assertOutcome(registry.send(registry.authorised(path).GET().build()), 400, "invalid", "BAD_REQUEST");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/fhir/Appointment/..%2F..%2Fmetadata", "/fhir/Appointment/abc%2Fdef", "/fhir/Appointment/%2e%2e",
            "/fhir/Appointment/%2e%2e/%2e%2e/etc/passwd", "/fhir/Appointment/../../etc/passwd", "/fhir/Appointment/a%00b",
            "/fhir/Appointment/a%5Cb", "/fhir/Appointment/%252e%252e", "/fhir/./Appointment/x/_history/.."})
    void pathTricksAreAnsweredWithAnOutcome(String target) {
        RawHttps.RawResponse response = RawHttps.get(registry, target, registry.token());
        assertThat(response.status()).as(response.text()).isBetween(400, 499);
        assertThat(response.headers()).containsIgnoringCase("Content-Type: application/fhir+json");
        assertThat(response.body()).contains("\"resourceType\":\"OperationOutcome\"")
                .contains("Spine-ErrorOrWarningCode-1").doesNotContain("root:").doesNotContain("<html");
    }

    @ParameterizedTest
    @ValueSource(strings = {"identifier=urn:ietf:rfc:3986%7C'%20OR%20'1'%3D'1",
            "identifier=x'%3B%20DROP%20TABLE%20appointment%3B--",
            "identifier=urn:ietf:rfc:3986%7Cx%22)%20OR%201%3D1--",
            "status=booked'%20OR%201%3D1--&identifier=a%7Cb",
            "patient.identifier=https://fhir.nhs.uk/Id/nhs-number%7C9990000018'%20OR%20'1'%3D'1"})
    void searchValuesBuiltToInjectSqlMatchNothing(String query) throws SQLException {
        String nhs = TestNhsNumbers.valid(703);
        HttpResponse<String> created = postJson(TestAppointments.json(TestAppointments.booked(nhs)));
        assertThat(created.statusCode()).isEqualTo(201);
        HttpResponse<String> response = registry.send(registry.authorised("/Appointment?" + query).GET().build());
        if (response.statusCode() == 200) {
            assertThat(response.body()).contains("\"type\":\"searchset\"").contains("\"total\":0");
        } else {
            assertOutcome(response, 400, response.statusCode() == 400 ? outcomeCode(response) : "invalid", spineCode(response));
        }
        try (Connection db = registry.database(); ResultSet rows = db.createStatement().executeQuery(
                "SELECT COUNT(*) FROM appointment")) {
            rows.next();
            assertThat(rows.getLong(1)).isPositive(); // the table is still there
        }
    }

    @Test
    void oversizedHeadersAreAnsweredWithAnOutcome() {
        // Just over the 16 KiB limit, so Jetty has read the whole head when it refuses it. A head of
        // 64 KiB left ~48 KiB unread: Jetty's close then reset the connection mid-send (4-17 % of
        // tries), and about 1 in 500 it answered 414 without "Connection: close", which a pooled
        // client then handed to the next request on that connection (a later test saw the 414).
        HttpResponse<String> response = registry.send(registry.authorised("/Appointment/abc")
                .header("X-Padding", "p".repeat(17 * 1024)).GET().build());
        assertOutcome(response, 431, "too-costly", "MISSING_OR_INVALID_HEADER");
        // refused before the registry's routes, the answer still carries an id assigned like theirs
        assertAssignedRequestId(response);
    }

    private String outcomeCode(HttpResponse<String> response) {
        return uk.nhs.registry.testsupport.Responses.resource(response, org.hl7.fhir.dstu3.model.OperationOutcome.class)
                .getIssueFirstRep().getCode().toCode();
    }

    private String spineCode(HttpResponse<String> response) {
        return uk.nhs.registry.testsupport.Responses.resource(response, org.hl7.fhir.dstu3.model.OperationOutcome.class)
                .getIssueFirstRep().getDetails().getCodingFirstRep().getCode();
    }

    private HttpResponse<String> postXml(String xml) {
        return registry.send(registry.authorised("/Appointment").header("Content-Type", "application/fhir+xml")
                .header("Accept", "application/fhir+json").POST(BodyPublishers.ofString(xml)).build());
    }

    private HttpResponse<String> postJson(String json) {
        return registry.send(registry.authorised("/Appointment").header("Content-Type", "application/fhir+json")
                .POST(BodyPublishers.ofString(json)).build());
    }

    private static String marker() {
        return "urn:uuid:" + UUID.randomUUID();
    }

    private static String xmlAppointment(String marker) {
        return TestAppointments.xml(TestAppointments.booked(TestNhsNumbers.valid(704), marker,
                java.time.Instant.now().plusSeconds(86_400))).replaceFirst("<\\?xml[^>]*\\?>", "");
    }

    /** A valid appointment with this identifier, padded with whitespace to the given size. */
    private static byte[] padded(String marker, int size) {
        String json = TestAppointments.json(TestAppointments.booked(TestNhsNumbers.valid(705), marker,
                java.time.Instant.now().plusSeconds(86_400)));
        return (json.substring(0, json.length() - 1) + " ".repeat(size - json.length()) + "}").getBytes(StandardCharsets.UTF_8);
    }

    private void assertNothingStored(String marker) throws SQLException {
        try (Connection db = registry.database();
                PreparedStatement select = db.prepareStatement("SELECT COUNT(*) FROM appointment_identifier WHERE id_value = ?")) {
            select.setString(1, marker);
            try (ResultSet rows = select.executeQuery()) {
                rows.next();
                assertThat(rows.getLong(1)).as("appointments stored with identifier %s", marker).isZero();
            }
        }
    }
}
