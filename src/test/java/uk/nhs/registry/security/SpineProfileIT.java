package uk.nhs.registry.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static uk.nhs.registry.testsupport.Responses.assertOutcome;

import com.nimbusds.jwt.JWTClaimsSet;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.hl7.fhir.dstu3.model.OperationOutcome;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import uk.nhs.registry.testsupport.AuditRows;
import uk.nhs.registry.testsupport.RunningRegistry;
import uk.nhs.registry.testsupport.TestAppointments;
import uk.nhs.registry.testsupport.TestNhsNumbers;

/**
 * The spine token profile (CONTRACT §2): an unsigned cross-organisation audit token, accepted with
 * mutual TLS only, every claim rule checked, each refusal a 403 naming the claim.
 */
@Timeout(120)
class SpineProfileIT {

    private static final String WRITE = "patient/appointment.write";
    private static final String READ = "patient/appointment.read";
    private static RunningRegistry registry;

    @BeforeAll
    static void start() {
        registry = RunningRegistry.start(Map.of("registry.jwt.profile", "spine"));
    }

    @AfterAll
    static void stop() {
        registry.close();
    }

    /** CONTRACT §7: the medTech flavour is oauth2-only; under the spine profile [base-r4] serves nothing. */
    @Test
    void theR4FlavourIsOffAndAnswers404() {
        HttpResponse<String> metadata = registry.send(registry.request("/R4/metadata").GET().build());
        assertOutcome(metadata, 404, "not-supported", "NO_RECORD_FOUND");
        HttpResponse<String> create = registry.send(registry.request("/R4/Appointment")
                .header("Authorization", "Bearer " + token(WRITE, c -> c))
                .header("Content-Type", "application/fhir+json")
                .POST(BodyPublishers.ofString("{\"resourceType\":\"Appointment\",\"status\":\"proposed\"}")).build());
        assertOutcome(create, 404, "not-supported", "NO_RECORD_FOUND");
    }

    @Test
    void aConformingTokenRegistersAndIsRecordedWithTheOrganisation() {
        String requestId = "spine-" + UUID.randomUUID();
        HttpResponse<String> response = register(token(WRITE, c -> c), requestId, "urn:uuid:" + UUID.randomUUID());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);

        Map<String, Object> audit = AuditRows.ofRequest(registry, requestId).get(0);
        assertThat(audit).containsEntry("outcome_status", 201).containsEntry("token_organisation", SpineTokens.ODS_CODE)
                .containsEntry("token_subject", SpineTokens.SUBJECT)
                .containsEntry("token_issuer", "https://consumer-system.example.nhs.uk")
                .containsEntry("certificate_subject", "CN=dev-client,O=Appointment Registry Dev");
        Map<String, Object> version = AuditRows.query(registry,
                "SELECT actor_organisation, actor_subject FROM appointment_version WHERE request_id = ?", requestId).get(0);
        assertThat(version).containsEntry("actor_organisation", SpineTokens.ODS_CODE).containsEntry("actor_subject", SpineTokens.SUBJECT);
    }

    @Test
    void theWildcardScopesAndAnAbsentPractitionerAreAccepted() {
        assertThat(register(token("patient/*.write", c -> c.claim("requesting_practitioner", null)), "spine-" + UUID.randomUUID(),
                "urn:uuid:" + UUID.randomUUID()).statusCode()).isEqualTo(201);
        HttpResponse<String> read = registry.send(registry.request("/Appointment/unknown-id")
                .header("Authorization", "Bearer " + token("patient/*.read", c -> c)).GET().build());
        assertOutcome(read, 404, "not-found", "NO_RECORD_FOUND");
    }

    @Test
    void aReadNeedsAReadScope() {
        HttpResponse<String> read = registry.send(registry.request("/Appointment/unknown-id")
                .header("Authorization", "Bearer " + token(WRITE, c -> c)).GET().build());
        assertThat(assertOutcome(read, 403, "forbidden", "ACCESS DENIED").getIssueFirstRep().getDiagnostics())
                .contains("requested_scope");
    }

    static Stream<Arguments> refusals() {
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        return Stream.of(
                // Relative to the token's own iat: "now" above is taken when the cases are listed, possibly seconds earlier.
                refusal("lifetime over 300 s", "exp", c -> c.expirationTime(Date.from(c.build().getIssueTime().toInstant().plusSeconds(301)))),
                refusal("expired", "exp", c -> c.issueTime(Date.from(now.minusSeconds(900))).expirationTime(Date.from(now.minusSeconds(600)))),
                refusal("iat in the future", "iat", c -> c.issueTime(Date.from(now.plusSeconds(600))).expirationTime(Date.from(now.plusSeconds(800)))),
                refusal("no iat", "iat", c -> c.issueTime(null)),
                refusal("reason_for_request not directcare", "reason_for_request", c -> c.claim("reason_for_request", "secondaryuses")),
                refusal("no organisation", "requesting_organization", c -> c.claim("requesting_organization", null)),
                refusal("organisation without an ODS identifier", "requesting_organization", c -> c.claim("requesting_organization",
                        SpineTokens.organisation("https://example.org/not-ods", "RR8"))),
                refusal("organisation that is not an Organization", "requesting_organization", c -> c.claim("requesting_organization",
                        Map.of("resourceType", "Patient", "identifier", List.of(Map.of("system", SpineTokens.ODS_SYSTEM, "value", "RR8"))))),
                refusal("practitioner id differs from sub", "requesting_practitioner", c -> c.claim("requesting_practitioner",
                        Map.of("resourceType", "Practitioner", "id", "someone-else"))),
                refusal("device without an identifier", "requesting_device", c -> c.claim("requesting_device",
                        Map.of("resourceType", "Device", "model", "x"))),
                refusal("no device", "requesting_device", c -> c.claim("requesting_device", null)),
                refusal("wrong audience", "aud", c -> c.audience("https://elsewhere/fhir")),
                refusal("two audiences", "aud", c -> c.audience(List.of(registry.baseUrl(), "https://elsewhere/fhir"))),
                refusal("no issuer", "iss", c -> c.issuer(null)),
                refusal("no subject", "sub", c -> c.subject(null)),
                refusal("missing scope", "requested_scope", c -> c.claim("requested_scope", null)),
                refusal("read scope used to write", "requested_scope", c -> c.claim("requested_scope", READ)),
                refusal("another resource's scope", "requested_scope", c -> c.claim("requested_scope", "patient/Patient.write")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refusals")
    void aNonConformingTokenIsRefusedNamingTheClaim(String name, String claim, UnaryOperator<JWTClaimsSet.Builder> change) {
        assertRefusedAndNothingStored(token(WRITE, change), claim);
    }

    @Test
    void aSignedTokenIsNotMistakenForAVerifiedOne() {
        String signed = uk.nhs.registry.security.dev.DevTokens.sign(registry.dev().signingKeyJwk(),
                SpineTokens.claims(registry.baseUrl(), WRITE).build());
        assertRefusedAndNothingStored(signed, "alg");
    }

    @Test
    void garbageIsRefused() {
        assertRefusedAndNothingStored("not.a.jwt", "JWT");
    }

    @Test
    void theRegistryRefusesToStartWithSpineTokensAndNoClientCertificates() {
        assertThatThrownBy(() -> RunningRegistry.start(Map.of("registry.jwt.profile", "spine", "registry.tls.enabled", "false")))
                .rootCause().hasMessageContaining("registry.jwt.profile=spine").hasMessageContaining("registry.tls.enabled=false");
    }

    private void assertRefusedAndNothingStored(String token, String claim) {
        String marker = "urn:uuid:" + UUID.randomUUID();
        String requestId = "spine-" + UUID.randomUUID();
        OperationOutcome outcome = assertOutcome(register(token, requestId, marker), 403, "forbidden", "ACCESS DENIED");
        assertThat(outcome.getIssueFirstRep().getDiagnostics()).contains(claim);
        assertThat(AuditRows.appointmentsWithIdentifier(registry, marker)).isZero();
        assertThat(AuditRows.ofRequest(registry, requestId)).singleElement()
                .satisfies(row -> assertThat(row).containsEntry("outcome_status", 403).containsEntry("token_subject", null));
    }

    private static Arguments refusal(String name, String claim, UnaryOperator<JWTClaimsSet.Builder> change) {
        return Arguments.of(name, claim, change);
    }

    private static String token(String scope, UnaryOperator<JWTClaimsSet.Builder> change) {
        return SpineTokens.unsigned(change.apply(SpineTokens.claims(registry.baseUrl(), scope)).build());
    }

    private static HttpResponse<String> register(String token, String requestId, String marker) {
        return registry.send(registry.request("/Appointment")
                .header("Authorization", "Bearer " + token)
                .header("X-Request-Id", requestId)
                .header("Content-Type", "application/fhir+json")
                .POST(BodyPublishers.ofString(TestAppointments.json(TestAppointments.booked(TestNhsNumbers.valid(810), marker,
                        Instant.now().plus(1, ChronoUnit.DAYS))))).build());
    }
}
