package uk.nhs.registry.security;

import static org.assertj.core.api.Assertions.assertThat;
import static uk.nhs.registry.testsupport.Responses.assertOutcome;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.hl7.fhir.dstu3.model.Appointment;
import org.hl7.fhir.dstu3.model.Bundle;
import org.hl7.fhir.dstu3.model.OperationOutcome;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.slf4j.LoggerFactory;
import uk.nhs.registry.Fhir;
import uk.nhs.registry.security.dev.DevTokens;
import uk.nhs.registry.testsupport.AuditRows;
import uk.nhs.registry.testsupport.HostileBodies;
import uk.nhs.registry.testsupport.Responses;
import uk.nhs.registry.testsupport.RunningRegistry;
import uk.nhs.registry.testsupport.SharedRegistry;
import uk.nhs.registry.testsupport.TestAppointments;

/**
 * CONTRACT §2 "Strict input", "Bounded work", "Every method answered honestly", over real mutual
 * TLS with real tokens: what an attacker with a valid certificate and token sent and the registry
 * let through (issue 31), one test per finding.
 */
@Timeout(60)
class StrictInputIT {

    private final RunningRegistry registry = SharedRegistry.get();

    // 1. A lone surrogate changed the identifier: three 201s, all stored as "...?".
    @Test
    void aLoneSurrogateIsRefusedSoTheIdentifierSentIsTheIdentifierFound() {
        String marker = HostileBodies.marker();
        for (String escape : List.of("\\ud800", "\\udfff")) {
            HttpResponse<String> refused = postJson(HostileBodies.identifierEndingIn(marker, 730, escape));
            assertOutcome(refused, 400, "structure", "MESSAGE_NOT_WELL_FORMED");
            assertThat(refused.body()).contains("surrogate");
        }
        assertThat(postJson(HostileBodies.identifierEndingIn(marker, 730, "?")).statusCode()).isEqualTo(201);

        HttpResponse<String> search = registry.send(registry.authorised("/Appointment?identifier="
                + URLEncoder.encode(TestAppointments.IDENTIFIER_SYSTEM + "|" + marker + "?", StandardCharsets.UTF_8)).GET().build());
        Bundle found = Responses.resource(search, Bundle.class);
        assertThat(found.getEntry()).singleElement().satisfies(entry -> assertThat(
                ((Appointment) entry.getResource()).getIdentifierFirstRep().getValue()).isEqualTo(marker + "?"));
        assertThat(AuditRows.appointmentsWithIdentifier(registry, marker + "?")).isEqualTo(1);
    }

    // 2. One request, a minute of CPU: 30,000 participants without an actor, 422 after 47 s with 11.6 MB.
    @Test
    void thirtyThousandParticipantsAreRefusedBeforeValidationWithAShortAnswer() {
        String marker = HostileBodies.marker();
        String body = HostileBodies.participants(marker, 731, 30_000);
        assertThat(body.length()).isLessThan(1024 * 1024);
        HttpResponse<String> response = postJson(body);
        OperationOutcome outcome = assertOutcome(response, 422, "too-costly", "INVALID_RESOURCE");
        assertThat(outcome.getIssueFirstRep().getDiagnostics()).contains("Appointment.participant").contains("30001");
        assertThat(outcome.getIssue()).hasSizeLessThanOrEqualTo(100);
        assertThat(response.body().length()).isLessThan(10_000);
        assertThat(AuditRows.appointmentsWithIdentifier(registry, marker)).isZero();
    }

    // 2. The OperationOutcome itself: at most 100 issues, and how many were left out.
    @Test
    void anOutcomeWithManyFindingsListsAtMostOneHundredAndSaysHowManyWereLeftOut() {
        String marker = HostileBodies.marker();
        // 99 more participants (100 is the most accepted), each with two codes no value set has: 198 findings
        HttpResponse<String> response = postJson(HostileBodies.participants(marker, 732, 99)
                .replace(",{\"status\":\"accepted\"}", ",{\"status\":\"bogus\",\"required\":\"bogus\"}"));
        OperationOutcome outcome = assertOutcome(response, 422, "value", "INVALID_RESOURCE");
        assertThat(outcome.getIssue()).hasSize(100);
        assertThat(outcome.getIssue().get(99).getDiagnostics()).isEqualTo("99 more issues were left out; the first 99 are listed.");
        assertThat(AuditRows.appointmentsWithIdentifier(registry, marker)).isZero();
    }

    // 4. Lenient JSON: a duplicate key (last wins), an array for a string, an NHS number as a number.
    @ParameterizedTest
    @ValueSource(strings = {"duplicate", "array", "number"})
    void jsonThatALenientParserWouldRepairIsA400(String shape) {
        String marker = HostileBodies.marker();
        String body = switch (shape) {
            case "duplicate" -> HostileBodies.duplicateStatus(marker, 733);
            case "array" -> HostileBodies.statusAsArray(marker, 733);
            default -> HostileBodies.nhsNumberAsNumber(marker, 733);
        };
        assertOutcome(postJson(body), 400, "structure", "MESSAGE_NOT_WELL_FORMED");
        assertThat(AuditRows.appointmentsWithIdentifier(registry, marker)).isZero();
    }

    // 5. Library internals in diagnostics: Jackson's StreamReadConstraints on deep nesting.
    @Test
    void deepNestingIsAnsweredInTheRegistrysWords() {
        String marker = HostileBodies.marker();
        HttpResponse<String> response = postJson(HostileBodies.nested(marker, 734, 10_000));
        assertOutcome(response, 400, "structure", "MESSAGE_NOT_WELL_FORMED");
        assertThat(response.body()).doesNotContain("StreamReadConstraints").doesNotContainIgnoringCase("jackson")
                .doesNotContain("getMaxNestingDepth");
    }

    // 5. ... nimbus's "Unsecured (plain) JWTs are rejected, extend class to handle."
    @Test
    void anUnsignedTokenIsRefusedInTheRegistrysWords() {
        Base64.Encoder base64 = Base64.getUrlEncoder().withoutPadding();
        long now = System.currentTimeMillis() / 1000;
        String token = base64.encodeToString("{\"alg\":\"none\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8)) + "."
                + base64.encodeToString(("{\"iss\":\"" + uk.nhs.registry.RegistrySettings.DEV_ISSUER + "\",\"sub\":\"x\",\"aud\":\""
                        + registry.baseUrl() + "\",\"exp\":" + (now + 300) + ",\"iat\":" + now
                        + ",\"scope\":\"" + RunningRegistry.READ_WRITE + "\"}").getBytes(StandardCharsets.UTF_8)) + ".";
        HttpResponse<String> response = registry.send(registry.request("/Appointment/abc")
                .header("Authorization", "Bearer " + token).GET().build());
        assertOutcome(response, 403, "forbidden", "ACCESS DENIED");
        assertThat(response.body()).contains("unsigned").doesNotContain("extend class").doesNotContain("Unsecured");
    }

    // 5. ... and a wrong issuer's 403 named the issuer the registry expects (configuration).
    @Test
    void aWrongIssuerIsRefusedWithoutNamingTheExpectedIssuer() {
        String token = DevTokens.mint(registry.dev().signingKeyJwk(), "urn:someone-else", registry.baseUrl(), "test-client",
                RunningRegistry.READ_WRITE, Duration.ofMinutes(5));
        HttpResponse<String> response = registry.send(registry.request("/Appointment/abc")
                .header("Authorization", "Bearer " + token).GET().build());
        assertOutcome(response, 403, "forbidden", "ACCESS DENIED");
        assertThat(response.body()).contains("'iss'").doesNotContain(uk.nhs.registry.RegistrySettings.DEV_ISSUER)
                .doesNotContain("must be");
    }

    // 6. A UTF-16LE XML body got a 400 in UTF-16LE under a charset=utf-8 header.
    @Test
    void anErrorIsAnsweredInUtf8WhateverCharsetTheRequestNamed() throws Exception {
        String xml = TestAppointments.xml(HostileBodies.appointment(HostileBodies.marker(), 735));
        HttpResponse<byte[]> response = registry.client(registry.dev().clientKeystore()).send(registry.authorised("/Appointment")
                .header("Content-Type", "application/fhir+xml; charset=utf-16le")
                .POST(BodyPublishers.ofByteArray(xml.getBytes(StandardCharsets.UTF_16LE))).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(ct -> assertThat(ct).contains("charset=utf-8"));
        String body = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .decode(ByteBuffer.wrap(response.body())).toString();
        assertThat(body).doesNotContain("\u0000");
        OperationOutcome outcome = (OperationOutcome) Fhir.context().newXmlParser().parseResource(body);
        assertThat(outcome.getIssueFirstRep().getDetails().getCodingFirstRep().getCode()).isEqualTo("MESSAGE_NOT_WELL_FORMED");
    }

    // 7. BEL and ESC inside an identifier value were stored.
    @ParameterizedTest
    @ValueSource(chars = {'\u0007', '\u001b'})
    void aControlCharacterInAStringIsA422(char control) {
        String marker = HostileBodies.marker();
        HttpResponse<String> response = postJson(HostileBodies.controlCharacterInIdentifier(marker, 736, control));
        OperationOutcome outcome = assertOutcome(response, 422, "value", "INVALID_RESOURCE");
        assertThat(outcome.getIssueFirstRep().getDiagnostics()).contains("Appointment.identifier.value").contains("control character");
        assertThat(AuditRows.appointmentsWithIdentifier(registry, marker + control)).isZero();
    }

    // 8. OPTIONS answered 200, empty, with an Allow of methods that are in fact 405, unlogged.
    @ParameterizedTest
    @ValueSource(strings = {"OPTIONS", "TRACE", "DELETE", "PATCH"})
    void aMethodTheRegistryDoesNotServeIsA405WithAnHonestAllow(String method) throws Exception {
        ListAppender<ILoggingEvent> log = capture();
        try {
            HttpResponse<String> collection = registry.send(registry.request("/Appointment")
                    .header("X-Request-Id", "strict-" + method + "-1").method(method, BodyPublishers.noBody()).build());
            assertOutcome(collection, 405, "not-supported", "INVALID_REQUEST_TYPE");
            assertThat(collection.headers().allValues("Allow")).containsExactly("GET, POST");
            assertThat(collection.headers().firstValue("X-Request-Id")).hasValue("strict-" + method + "-1");

            HttpResponse<String> instance = registry.send(registry.request("/Appointment/abc")
                    .method(method, BodyPublishers.noBody()).build());
            assertOutcome(instance, 405, "not-supported", "INVALID_REQUEST_TYPE");
            assertThat(instance.headers().allValues("Allow")).containsExactly("GET, PUT");

            HttpResponse<String> metadata = registry.send(registry.request("/metadata").method(method, BodyPublishers.noBody()).build());
            assertOutcome(metadata, 405, "not-supported", "INVALID_REQUEST_TYPE");
            assertThat(metadata.headers().allValues("Allow")).containsExactly("GET");

            assertThat(awaitLine(log, "strict-" + method + "-1", "answered 405 in")).isTrue();
        } finally {
            release(log);
        }
    }

    // 9. A 10 KB X-Request-Id came back in full in X-Correlation-Id.
    @Test
    void anEchoedRequestIdIsBounded() {
        String huge = "x".repeat(10_000) + "!";
        HttpResponse<String> response = registry.send(registry.request("/metadata").header("X-Request-Id", huge).GET().build());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("X-Correlation-Id")).hasValueSatisfying(echoed -> {
            assertThat(echoed).hasSizeLessThanOrEqualTo(128);
            assertThat(huge).startsWith(echoed);
        });
        // a short, unsafe id is still echoed whole
        HttpResponse<String> shortOne = registry.send(registry.request("/metadata").header("X-Request-Id", "a b").GET().build());
        assertThat(shortOne.headers().firstValue("X-Correlation-Id")).hasValue("a b");
    }

    private HttpResponse<String> postJson(String json) {
        return registry.send(registry.authorised("/Appointment").header("Content-Type", "application/fhir+json")
                .POST(BodyPublishers.ofString(json)).build());
    }

    private static ListAppender<ILoggingEvent> capture() {
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.start();
        root().addAppender(appender);
        return appender;
    }

    private static void release(ListAppender<ILoggingEvent> appender) {
        root().detachAppender(appender);
    }

    private static Logger root() {
        return ((LoggerContext) LoggerFactory.getILoggerFactory()).getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    }

    /** The access line is written as Camel completes the exchange, possibly just after the answer: wait for it, boundedly. */
    private static boolean awaitLine(ListAppender<ILoggingEvent> log, String requestId, String text) throws InterruptedException {
        for (int attempt = 0; attempt < 200; attempt++) {
            boolean found = List.copyOf(log.list).stream().anyMatch(e -> requestId.equals(mdc(e).get("requestId"))
                    && e.getFormattedMessage().contains(text));
            if (found) {
                return true;
            }
            Thread.sleep(25);
        }
        return false;
    }

    private static Map<String, String> mdc(ILoggingEvent event) {
        return event.getMDCPropertyMap() == null ? Map.of() : event.getMDCPropertyMap();
    }
}
