package uk.nhs.registry.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static uk.nhs.registry.testsupport.Responses.assertOutcome;

import com.nimbusds.jwt.JWTClaimsSet;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import uk.nhs.registry.RegistrySettings;
import uk.nhs.registry.security.dev.DevTokens;
import uk.nhs.registry.testsupport.AuditRows;
import uk.nhs.registry.testsupport.RunningRegistry;
import uk.nhs.registry.testsupport.TestAppointments;
import uk.nhs.registry.testsupport.TestCertificates;
import uk.nhs.registry.testsupport.TestNhsNumbers;

/**
 * Who may use the registry beyond a valid token: the organisation and client-certificate
 * allow-lists, and client certificates that chain to the trust store but are out of date.
 */
@Timeout(120)
class AuthorisationIT {

    private static final String ALLOWED_CLIENT = "CN=allowed-client, O=Appointment Registry Dev";
    private static RunningRegistry registry;
    private static HttpClient allowedClient;

    @BeforeAll
    static void start() throws IOException {
        registry = RunningRegistry.start(Map.of(
                "registry.security.allowed-organisations", "RR8, X26",
                // Written differently from the certificate (spacing, case) on purpose: compared as names.
                "registry.security.allowed-certificate-subjects", "cn=allowed-client,o=Appointment Registry Dev; CN=another"));
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        Path p12 = TestCertificates.devClientKeystore(registry.dev(), Files.createTempDirectory("allowed").resolve("allowed.p12"),
                ALLOWED_CLIENT, now.minus(Duration.ofMinutes(5)), now.plus(Duration.ofDays(1)));
        allowedClient = registry.client(p12);
    }

    @AfterAll
    static void stop() {
        registry.close();
    }

    @Test
    void aListedOrganisationWithAListedCertificateMayWrite() {
        String requestId = "allowed-" + UUID.randomUUID();
        HttpResponse<String> response = register(allowedClient, tokenFor("RR8"), requestId);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        assertThat(AuditRows.ofRequest(registry, requestId)).singleElement().satisfies(row -> assertThat(row)
                .containsEntry("token_organisation", "RR8").containsEntry("certificate_subject", "CN=allowed-client,O=Appointment Registry Dev"));
    }

    @Test
    void theOrganisationMayComeAsASpineStyleOrganizationClaim() {
        String token = sign(claims().claim("ods_code", SpineTokens.organisation(SpineTokens.ODS_SYSTEM, "X26")).build());
        assertThat(register(allowedClient, token, "org-" + UUID.randomUUID()).statusCode()).isEqualTo(201);
    }

    @Test
    void anUnlistedOrganisationIsRefusedAndRecorded() {
        String requestId = "org-refused-" + UUID.randomUUID();
        HttpResponse<String> response = register(allowedClient, tokenFor("Y99"), requestId);
        assertThat(assertOutcome(response, 403, "forbidden", "ACCESS DENIED").getIssueFirstRep().getDiagnostics()).contains("Y99");
        // The token was genuine, so the refused caller is named in the audit trail.
        assertThat(AuditRows.ofRequest(registry, requestId)).singleElement().satisfies(row -> assertThat(row)
                .containsEntry("outcome_status", 403).containsEntry("token_organisation", "Y99")
                .containsEntry("token_subject", "allow-list-test"));
    }

    @Test
    void aTokenWithoutAnOrganisationIsRefusedWhenOrganisationsAreListed() {
        assertOutcome(register(allowedClient, sign(claims().build()), "no-org-" + UUID.randomUUID()), 403, "forbidden", "ACCESS DENIED");
    }

    @Test
    void anUnlistedCertificateIsRefusedEvenWithAGoodToken() {
        // The registry's own dev client certificate chains to the trust store but is not listed.
        HttpResponse<String> response = registry.send(registry.request("/Appointment/x")
                .header("Authorization", "Bearer " + tokenFor("RR8")).GET().build());
        assertThat(assertOutcome(response, 403, "forbidden", "ACCESS DENIED").getIssueFirstRep().getDiagnostics())
                .contains("certificate");
    }

    @Test
    void anExpiredCertificateFromTheTrustedCaCannotConnect() throws IOException {
        HttpClient expired = registry.client(TestCertificates.expiredClientKeystore(registry.dev(), Files.createTempDirectory("expired")));
        assertThatThrownBy(() -> send(expired)).isInstanceOf(UncheckedIOException.class);
    }

    @Test
    void aNotYetValidCertificateFromTheTrustedCaCannotConnect() throws IOException {
        HttpClient early = registry.client(TestCertificates.notYetValidClientKeystore(registry.dev(), Files.createTempDirectory("early")));
        assertThatThrownBy(() -> send(early)).isInstanceOf(UncheckedIOException.class);
    }

    private static HttpResponse<String> send(HttpClient client) {
        try {
            return client.send(registry.request("/metadata").GET().build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static HttpResponse<String> register(HttpClient client, String token, String requestId) {
        try {
            return client.send(registry.request("/Appointment").header("Authorization", "Bearer " + token)
                    .header("X-Request-Id", requestId).header("Content-Type", "application/fhir+json")
                    .POST(BodyPublishers.ofString(TestAppointments.json(TestAppointments.booked(TestNhsNumbers.valid(910)))))
                    .build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String tokenFor(String odsCode) {
        return sign(claims().claim("ods_code", odsCode).build());
    }

    private static JWTClaimsSet.Builder claims() {
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        return new JWTClaimsSet.Builder().issuer(RegistrySettings.DEV_ISSUER).subject("allow-list-test")
                .audience(registry.baseUrl()).issueTime(Date.from(now)).expirationTime(Date.from(now.plusSeconds(300)))
                .claim("scope", RunningRegistry.READ_WRITE);
    }

    private static String sign(JWTClaimsSet claims) {
        return DevTokens.sign(registry.dev().signingKeyJwk(), claims);
    }
}
