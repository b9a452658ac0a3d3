package uk.nhs.registry.security.dev;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.CertPathBuilderException;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsExchange;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;

import uk.nhs.registry.testsupport.TestCertificates;

/**
 * Real TLS handshakes against a tiny SSLServerSocket built from server.p12 + truststore.p12 with
 * client authentication REQUIRED, for TLS 1.2 and 1.3.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class MutualTlsHandshakeIT {

    private static final int TIMEOUT_MS = 5_000;

    @TempDir
    static Path tmp;

    static DevMaterial dev;
    static Path untrusted;
    static Path expired;
    static Path notYetValid;
    static ExecutorService executor;

    @BeforeAll
    static void material() {
        dev = DevMaterial.ensure(tmp.resolve("dev"));
        Path certs = tmp.resolve("test-certs");
        untrusted = TestCertificates.untrustedClientKeystore(certs);
        expired = TestCertificates.expiredClientKeystore(dev, certs);
        notYetValid = TestCertificates.notYetValidClientKeystore(dev, certs);
        executor = Executors.newCachedThreadPool();
    }

    @AfterAll
    static void stop() {
        executor.shutdownNow();
    }

    /** What each side saw: the server the client principal or its failure, the client the byte read or its failure. */
    record Outcome(Object server, Object client) {
        boolean connected() {
            return client instanceof Integer i && i == 'K' && server instanceof String;
        }

        Throwable serverFailure() {
            return server instanceof Throwable t ? t : null;
        }
    }

    Outcome handshake(String protocol, Path clientP12, String hostName) throws Exception {
        SSLContext serverContext = TestCertificates.serverContext(dev);
        try (SSLServerSocket listener = (SSLServerSocket) serverContext.getServerSocketFactory()
                .createServerSocket(0, 5, InetAddress.getByName("127.0.0.1"))) {
            listener.setNeedClientAuth(true);
            listener.setEnabledProtocols(new String[] {protocol});
            listener.setSoTimeout(TIMEOUT_MS);
            int port = listener.getLocalPort();

            Future<Object> serverSide = executor.submit(() -> {
                try (SSLSocket socket = (SSLSocket) listener.accept()) {
                    socket.setSoTimeout(TIMEOUT_MS);
                    socket.startHandshake();
                    SSLSession session = socket.getSession();
                    String peer = session.getPeerPrincipal().getName();
                    socket.getOutputStream().write('K');
                    socket.getOutputStream().flush();
                    try {
                        socket.getInputStream().read(); // until the client closes
                    } catch (IOException ignored) {
                        // the client may go away abruptly; the handshake result stands
                    }
                    return peer;
                } catch (Exception e) {
                    return e;
                }
            });

            SSLContext clientContext = TestCertificates.clientContext(clientP12, TestCertificates.password(),
                    dev.truststore(), dev.password());
            Object clientResult;
            try (Socket plain = new Socket()) {
                plain.connect(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), port), TIMEOUT_MS);
                plain.setSoTimeout(TIMEOUT_MS);
                try (SSLSocket socket = (SSLSocket) clientContext.getSocketFactory()
                        .createSocket(plain, hostName, port, true)) {
                    SSLParameters parameters = socket.getSSLParameters();
                    parameters.setEndpointIdentificationAlgorithm("HTTPS"); // checks the server SANs
                    parameters.setProtocols(new String[] {protocol});
                    socket.setSSLParameters(parameters);
                    socket.startHandshake();
                    InputStream in = socket.getInputStream();
                    clientResult = in.read();
                } catch (IOException e) {
                    clientResult = e;
                }
            }
            return new Outcome(serverSide.get(TIMEOUT_MS * 3L, TimeUnit.MILLISECONDS), clientResult);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"TLSv1.3", "TLSv1.2"})
    void devClientCertificateConnects(String protocol) throws Exception {
        Outcome outcome = handshake(protocol, dev.clientKeystore(), "127.0.0.1");
        assertThat(outcome.connected()).as(outcome.toString()).isTrue();
        assertThat(outcome.server()).isEqualTo("CN=dev-client,O=Appointment Registry Dev");
    }

    @ParameterizedTest
    @ValueSource(strings = {"TLSv1.3", "TLSv1.2"})
    void serverCertificateMatchesLocalhostByName(String protocol) throws Exception {
        Outcome outcome = handshake(protocol, dev.clientKeystore(), "localhost");
        assertThat(outcome.connected()).as(outcome.toString()).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"TLSv1.3", "TLSv1.2"})
    void noClientCertificateIsRejected(String protocol) throws Exception {
        Outcome outcome = handshake(protocol, null, "127.0.0.1");
        assertThat(outcome.connected()).as(outcome.toString()).isFalse();
        assertThat(outcome.serverFailure()).isNotNull();
        assertThat(outcome.serverFailure()).hasMessageContaining("Empty client certificate chain");
    }

    @ParameterizedTest
    @ValueSource(strings = {"TLSv1.3", "TLSv1.2"})
    void clientCertificateFromUntrustedCaIsRejected(String protocol) throws Exception {
        Outcome outcome = handshake(protocol, untrusted, "127.0.0.1");
        assertThat(outcome.connected()).as(outcome.toString()).isFalse();
        assertThat(outcome.serverFailure()).hasRootCauseInstanceOf(CertPathBuilderException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"TLSv1.3", "TLSv1.2"})
    void expiredClientCertificateIsRejected(String protocol) throws Exception {
        Outcome outcome = handshake(protocol, expired, "127.0.0.1");
        assertThat(outcome.connected()).as(outcome.toString()).isFalse();
        assertThat(outcome.serverFailure()).hasRootCauseInstanceOf(CertificateExpiredException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"TLSv1.3", "TLSv1.2"})
    void notYetValidClientCertificateIsRejected(String protocol) throws Exception {
        Outcome outcome = handshake(protocol, notYetValid, "127.0.0.1");
        assertThat(outcome.connected()).as(outcome.toString()).isFalse();
        assertThat(outcome.serverFailure()).hasRootCauseInstanceOf(CertificateNotYetValidException.class);
    }

    /** The TestCertificates client context works with java.net.http.HttpClient (hostname localhost). */
    @Test
    void httpClientWithDevClientContext() throws Exception {
        HttpsServer server = HttpsServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(TestCertificates.serverContext(dev)) {
            @Override
            public void configure(HttpsParameters params) {
                SSLParameters parameters = getSSLContext().getDefaultSSLParameters();
                parameters.setNeedClientAuth(true);
                params.setSSLParameters(parameters);
            }
        });
        server.createContext("/", exchange -> {
            byte[] body = ((HttpsExchange) exchange).getSSLSession().getPeerPrincipal().getName()
                    .getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.setExecutor(executor);
        server.start();
        try {
            HttpClient client = HttpClient.newBuilder()
                    .sslContext(TestCertificates.clientContext(dev.clientKeystore(), dev.password(), dev.truststore(),
                            dev.password()))
                    .connectTimeout(Duration.ofSeconds(5))
                    .build();
            HttpResponse<String> response = client.send(
                    HttpRequest.newBuilder(URI.create("https://localhost:" + server.getAddress().getPort() + "/"))
                            .timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).isEqualTo("CN=dev-client,O=Appointment Registry Dev");
        } finally {
            server.stop(0);
        }
    }
}
