package uk.nhs.registry.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static uk.nhs.registry.testsupport.Responses.assertAssignedRequestId;
import static uk.nhs.registry.testsupport.Responses.assertOutcome;
import static uk.nhs.registry.testsupport.Responses.resource;

import java.io.UncheckedIOException;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.hl7.fhir.dstu3.model.CapabilityStatement;
import org.junit.jupiter.api.Test;
import uk.nhs.registry.RegistrySettings;
import uk.nhs.registry.security.dev.DevTokens;
import uk.nhs.registry.testsupport.RunningRegistry;
import uk.nhs.registry.testsupport.SharedRegistry;
import uk.nhs.registry.testsupport.TestAppointments;
import uk.nhs.registry.testsupport.TestCertificates;
import uk.nhs.registry.testsupport.TestNhsNumbers;

/** CONTRACT §2: mutual TLS, the oauth2 token, request ids, the open capability statement. */
class AccessIT {

    private final RunningRegistry registry = SharedRegistry.get();

    @Test
    void metadataNeedsNoTokenAndDescribesTheServer() {
        HttpResponse<String> response = registry.send(registry.request("/metadata").GET().build());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Cache-Control")).hasValue("no-store");
        CapabilityStatement statement = resource(response, CapabilityStatement.class);
        assertThat(statement.getFhirVersion()).isEqualTo("3.0.1");
        assertThat(statement.getFormat()).extracting(f -> f.getValue()).contains("application/fhir+json", "application/fhir+xml");
        var appointment = statement.getRestFirstRep().getResource().get(0);
        assertThat(appointment.getType()).isEqualTo("Appointment");
        assertThat(appointment.getInteraction()).extracting(i -> i.getCode().toCode())
                .containsExactlyInAnyOrder("create", "read", "vread", "history-instance", "update", "search-type");
        assertThat(appointment.getSearchParam()).extracting(p -> p.getName()).contains("patient.identifier", "identifier", "status", "date");
    }

    @Test
    void everythingElseNeedsAToken() {
        assertOutcome(registry.send(registry.request("/Appointment/x").GET().build()), 403, "forbidden", "ACCESS DENIED");
        assertOutcome(registry.send(registry.request("/Appointment/x").header("Authorization", "Basic dXNlcjpwYXNz").GET().build()),
                403, "forbidden", "ACCESS DENIED");
        assertOutcome(registry.send(registry.request("/Appointment/x").header("Authorization", "Bearer not-a-jwt").GET().build()),
                403, "forbidden", "ACCESS DENIED");
    }

    @Test
    void aTokenForAnotherAudienceOrIssuerIsRefused() {
        String otherAudience = DevTokens.mint(registry.dev().signingKeyJwk(), RegistrySettings.DEV_ISSUER, "https://elsewhere/fhir",
                "c", RunningRegistry.READ_WRITE, Duration.ofMinutes(5));
        String otherIssuer = DevTokens.mint(registry.dev().signingKeyJwk(), "urn:someone-else", registry.baseUrl(),
                "c", RunningRegistry.READ_WRITE, Duration.ofMinutes(5));
        for (String token : new String[] {otherAudience, otherIssuer}) {
            assertOutcome(registry.send(registry.request("/Appointment/x").header("Authorization", "Bearer " + token).GET().build()),
                    403, "forbidden", "ACCESS DENIED");
        }
    }

    @Test
    void aReadTokenCannotWrite() {
        HttpResponse<String> response = registry.send(registry.request("/Appointment")
                .header("Authorization", "Bearer " + registry.token("patient/appointment.read"))
                .header("Content-Type", "application/fhir+json")
                .POST(BodyPublishers.ofString(TestAppointments.json(TestAppointments.booked(TestNhsNumbers.valid(40))))).build());
        assertOutcome(response, 403, "forbidden", "ACCESS DENIED");
        assertThat(response.body()).contains("patient/appointment.write");
    }

    @Test
    void theTokenIsNeverEchoed() {
        String token = registry.token();
        HttpResponse<String> response = registry.send(registry.request("/Appointment/unknown")
                .header("Authorization", "Bearer " + token).GET().build());
        assertThat(response.headers().map().toString()).doesNotContain(token);
        assertThat(response.headers().firstValue("Authorization")).isEmpty();
    }

    @Test
    void keepsTheClientsRequestId() {
        HttpResponse<String> response = registry.send(registry.request("/metadata").header("X-Request-Id", "abc-123").GET().build());
        assertThat(response.headers().firstValue("X-Request-Id")).hasValue("abc-123");
        assertThat(response.headers().firstValue("X-Correlation-Id")).isEmpty();
    }

    @Test
    void assignsARequestIdAndReturnsAReplacedOneAsCorrelationId() {
        HttpResponse<String> none = registry.send(registry.request("/metadata").GET().build());
        // time-ordered (UUID version 7): request ids are indexed in the audit trail
        assertAssignedRequestId(none);

        HttpResponse<String> unsafe = registry.send(registry.request("/metadata").header("X-Request-Id", "has spaces; and more").GET().build());
        assertThat(unsafe.headers().firstValue("X-Request-Id")).hasValueSatisfying(id -> assertThat(id).isNotEqualTo("has spaces; and more"));
        assertThat(unsafe.headers().firstValue("X-Correlation-Id")).hasValue("has spaces; and more");
    }

    @Test
    void unknownPathsAndMethodsAnswerWithAnOutcome() {
        assertOutcome(registry.send(registry.authorised("/Patient/1").GET().build()), 404, "not-supported", "NO_RECORD_FOUND");
        assertOutcome(registry.send(registry.authorised("/Appointment/abc").DELETE().build()), 405, "not-supported", "INVALID_REQUEST_TYPE");
    }

    @Test
    void aClientWithoutACertificateCannotConnect() throws Exception {
        var tls = javax.net.ssl.SSLContext.getInstance("TLS");
        var trust = javax.net.ssl.TrustManagerFactory.getInstance(javax.net.ssl.TrustManagerFactory.getDefaultAlgorithm());
        trust.init(uk.nhs.registry.security.dev.DevPki.loadPkcs12(registry.dev().truststore(), registry.dev().password()));
        tls.init(null, trust.getTrustManagers(), null);
        var client = java.net.http.HttpClient.newBuilder().sslContext(tls).connectTimeout(Duration.ofSeconds(5)).build();
        assertThatThrownBy(() -> client.send(registry.request("/metadata").GET().build(), HttpResponse.BodyHandlers.ofString()))
                .isInstanceOf(java.io.IOException.class);
    }

    @Test
    void aClientCertificateFromAnUntrustedCaCannotConnect() throws Exception {
        Path dir = Files.createTempDirectory("untrusted");
        var client = registry.client(TestCertificates.untrustedClientKeystore(dir));
        assertThatThrownBy(() -> send(client)).isInstanceOf(UncheckedIOException.class);
    }

    @Test
    void anExpiredClientCertificateCannotConnect() throws Exception {
        Path dir = Files.createTempDirectory("expired");
        var client = registry.client(TestCertificates.expiredClientKeystore(registry.dev(), dir));
        assertThatThrownBy(() -> send(client)).isInstanceOf(UncheckedIOException.class);
    }

    private HttpResponse<String> send(java.net.http.HttpClient client) {
        try {
            return client.send(registry.request("/metadata").GET().build(), HttpResponse.BodyHandlers.ofString());
        } catch (java.io.IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }
}
