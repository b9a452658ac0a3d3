package uk.nhs.registry.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.net.ssl.SSLContext;
import org.apache.camel.main.Main;
import uk.nhs.registry.RegistryApplication;
import uk.nhs.registry.RegistrySettings;
import uk.nhs.registry.security.dev.DevMaterial;
import uk.nhs.registry.security.dev.DevTokens;

/**
 * The real registry, started in this JVM on a free loopback port with its own folder for
 * development material and a file database on the embedded default (HSQLDB): real TLS, real tokens, real JDBC.
 */
public final class RunningRegistry implements AutoCloseable {

    public static final String READ_WRITE = "patient/appointment.read patient/appointment.write";

    private final Path home;
    private final Map<String, String> properties;
    private final int port;
    private final int managementPort;
    private Main main;
    private HttpClient client;

    private RunningRegistry(Path home, Map<String, String> overrides) {
        this.home = home;
        this.port = freePort();
        this.managementPort = freePort();
        this.properties = new LinkedHashMap<>();
        properties.put("registry.http.host", "127.0.0.1");
        properties.put("registry.http.port", Integer.toString(port));
        properties.put("registry.base-url", "https://127.0.0.1:" + port + "/fhir");
        properties.put("registry.dev.dir", home.resolve("dev").toString());
        properties.put("registry.db.url", "jdbc:hsqldb:file:" + home.resolve("db/registry").toAbsolutePath());
        properties.put("registry.validation.profiles-dir", Path.of("..", "shared", "profiles").toString());
        // the management server on loopback and a port of its own, so instances can share a JVM.
        properties.put("camel.management.host", "127.0.0.1");
        properties.put("camel.management.port", Integer.toString(managementPort));
        properties.putAll(overrides);
        // an override of null leaves the key to application.properties (HashMap allows null values)
        properties.values().removeIf(java.util.Objects::isNull);
    }

    public static RunningRegistry start(Map<String, String> overrides) {
        try {
            RunningRegistry registry = new RunningRegistry(Files.createTempDirectory("registry-test"), overrides);
            registry.boot();
            return registry;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static RunningRegistry start() {
        return start(Map.of());
    }

    /** Starts the registry again on the same folder, port and database: what a restart keeps. */
    public void restart() {
        stop();
        boot();
    }

    private void boot() {
        main = RegistryApplication.newMain();
        properties.forEach(main::addOverrideProperty);
        try {
            main.start();
        } catch (Exception e) {
            throw new IllegalStateException("registry did not start", e);
        }
        client = client(dev().clientKeystore());
    }

    public void stop() {
        if (main != null) {
            try {
                main.stop();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
            main = null;
        }
    }

    @Override
    public void close() {
        stop();
        Folders.deleteRecursively(home);
    }

    public int port() {
        return port;
    }

    // --- ops (#7) ---
    public int managementPort() {
        return managementPort;
    }

    /** GET on the management port: plain HTTP, no certificate, no token, as a probe or scraper calls it. */
    public HttpResponse<String> management(String path) {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + managementPort + path))
                .timeout(Duration.ofSeconds(30)).GET().build();
        try {
            return HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build()
                    .send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The running Camel context, for tests that watch the lifecycle (in-flight exchanges, route status). */
    public org.apache.camel.CamelContext camelContext() {
        Main running = main;
        return running == null ? null : running.getCamelContext();
    }

    public String baseUrl() {
        return properties.get("registry.base-url");
    }

    public Path home() {
        return home;
    }

    public DevMaterial dev() {
        return DevMaterial.load(home.resolve("dev"));
    }

    public Connection database() throws SQLException {
        return DriverManager.getConnection(properties.get("registry.db.url"), "sa", "");
    }

    /** A token the registry accepts, with the given scope. */
    public String token(String scope) {
        return DevTokens.mint(dev().signingKeyJwk(), RegistrySettings.DEV_ISSUER, baseUrl(), "test-client", scope,
                Duration.ofMinutes(10));
    }

    public String token() {
        return token(READ_WRITE);
    }

    /** An HTTP client presenting the given client certificate and trusting the dev CA. */
    public HttpClient client(Path clientKeystore) {
        SSLContext tls = TestCertificates.clientContext(clientKeystore, dev().password(), dev().truststore(), dev().password());
        return HttpClient.newBuilder().sslContext(tls).version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
    }

    public HttpRequest.Builder request(String pathAndQuery) {
        return HttpRequest.newBuilder(URI.create(baseUrl() + pathAndQuery)).timeout(Duration.ofSeconds(30));
    }

    /** A request with a read/write token, the way an authorised consumer sends it. */
    public HttpRequest.Builder authorised(String pathAndQuery) {
        return request(pathAndQuery).header("Authorization", "Bearer " + token());
    }

    public HttpResponse<String> send(HttpRequest request) {
        try {
            return client.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
