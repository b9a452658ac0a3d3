package uk.nhs.registry.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import uk.nhs.registry.testsupport.RunningRegistry;
import uk.nhs.registry.testsupport.SharedRegistry;
import uk.nhs.registry.testsupport.TestCertificates;

/** CONTRACT §2 "mutual TLS": the protocols on offer, and the explicit plain-HTTP mode. */
class TransportIT {

    @ParameterizedTest(name = "{0} is accepted")
    @ValueSource(strings = {"TLSv1.2", "TLSv1.3"})
    void speaksTls12And13(String protocol) throws Exception {
        RunningRegistry registry = SharedRegistry.get();
        try (SSLSocket socket = handshake(registry, protocol)) {
            assertThat(socket.getSession().getProtocol()).isEqualTo(protocol);
            assertThat(socket.getSession().getPeerCertificates()).isNotEmpty();
        }
    }

    @Test
    void refusesOlderProtocols() {
        RunningRegistry registry = SharedRegistry.get();
        // The JDK may refuse TLS 1.1 itself; either way no session is established.
        assertThatThrownBy(() -> handshake(registry, "TLSv1.1").close()).isInstanceOf(Exception.class);
    }

    private static SSLSocket handshake(RunningRegistry registry, String protocol) throws IOException {
        SSLContext tls = TestCertificates.clientContext(registry.dev().clientKeystore(), registry.dev().password(),
                registry.dev().truststore(), registry.dev().password());
        SSLSocket socket = (SSLSocket) tls.getSocketFactory().createSocket("127.0.0.1", registry.port());
        socket.setSoTimeout(5_000);
        SSLParameters parameters = socket.getSSLParameters();
        parameters.setProtocols(new String[] {protocol});
        socket.setSSLParameters(parameters);
        socket.startHandshake();
        return socket;
    }

    @Test
    void plainHttpOnlyWhenSwitchedOnExplicitly() throws Exception {
        try (RunningRegistry registry = RunningRegistry.start(Map.of("registry.tls.enabled", "false"))) {
            HttpClient plain = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
            HttpResponse<String> response = plain.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + registry.port() + "/fhir/metadata")).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).isEqualTo(200);
            HttpResponse<String> unauthorised = plain.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + registry.port() + "/fhir/Appointment/x")).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(unauthorised.statusCode()).as("the token is still required").isEqualTo(403);
        }
    }
}
