package uk.nhs.registry.karaf;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.opentest4j.AssertionFailedError;
import uk.nhs.registry.RegistrySettings;
import uk.nhs.registry.security.dev.DevMaterial;
import uk.nhs.registry.security.dev.DevTokens;
import uk.nhs.registry.testsupport.TestAppointments;
import uk.nhs.registry.testsupport.TestCertificates;
import uk.nhs.registry.testsupport.TestNhsNumbers;

/**
 * The registry deployed into a real Apache Karaf the way the README tells an operator to:
 * feature:repo-add of the registry's features descriptor and feature:install appointment-registry,
 * configured through etc/uk.nhs.registry.cfg. camel-karaf's own Camel bundles cannot be downloaded
 * here, so a test-only repository (src/test/karaf) stands in for it with the plain Camel jars.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class KarafDeploymentIT {

    private static final Duration INSTALL_WAIT = Duration.ofMinutes(4);
    private static final String BUNDLE = "uk.nhs.registry.appointment-registry";
    private static final String READ_WRITE = "patient/appointment.read patient/appointment.write";

    @TempDir
    static Path work;

    private static KarafInstance karaf;
    private static int port;
    private static String baseUrl;

    @BeforeAll
    static void deployIntoKaraf() {
        String version = System.getProperty("karaf.it.project-version");
        karaf = KarafInstance.prepare(Path.of(System.getProperty("karaf.it.home")),
                Path.of(System.getProperty("karaf.it.maven-repository")));
        karaf.provide(Path.of(System.getProperty("karaf.it.bundle")), "uk.nhs.registry", "appointment-registry", version,
                "bundle", "jar");
        karaf.provide(Path.of(System.getProperty("karaf.it.features")), "uk.nhs.registry", "appointment-registry",
                version, "features", "xml");
        port = KarafInstance.FreePorts.find();
        baseUrl = "https://127.0.0.1:" + port + "/fhir";
        karaf.writeConfiguration("uk.nhs.registry", List.of(
                "registry.http.host = 127.0.0.1",
                "registry.http.port = " + port,
                "registry.base-url = " + baseUrl,
                "registry.dev.dir = " + work.resolve("dev"),
                "registry.db.url = jdbc:hsqldb:file:" + work.resolve("db/registry"),
                "registry.validation.profiles-dir = " + Path.of("..", "shared", "profiles").toAbsolutePath().normalize()));
        karaf.start();

        String standIn = Path.of(System.getProperty("karaf.it.camel-features")).toUri().toString();
        karaf.shellOrFail(Duration.ofMinutes(1), "feature:repo-add " + standIn,
                "feature:repo-add mvn:uk.nhs.registry/appointment-registry/" + version + "/xml/features");
        karaf.shellOrFail(INSTALL_WAIT, "feature:install appointment-registry");
        awaitRegistry();
    }

    @AfterAll
    static void stopKaraf() {
        if (karaf != null) {
            karaf.close();
        }
    }

    @Test
    void answersRegisterAndReadThenFreesThePortWhenStoppedAndWhenUninstalled() throws Exception {
        HttpResponse<String> created = send(authorised("/Appointment")
                .header("Content-Type", "application/fhir+json")
                .POST(HttpRequest.BodyPublishers.ofString(TestAppointments.json(TestAppointments.booked(TestNhsNumbers.valid(1)))))
                .build());
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        String location = created.headers().firstValue("Location").orElseThrow();
        assertThat(location).startsWith(baseUrl + "/Appointment/").endsWith("/_history/1");
        String id = location.substring((baseUrl + "/Appointment/").length(), location.indexOf("/_history/"));

        HttpResponse<String> read = send(authorised("/Appointment/" + id).GET().build());
        assertThat(read.statusCode()).as(read.body()).isEqualTo(200);
        assertThat(read.body()).contains("\"id\":\"" + id + "\"");
        assertThat(read.headers().firstValue("ETag")).contains("W/\"1\"");

        karaf.shellOrFail(Duration.ofMinutes(2), "bundle:stop " + BUNDLE);
        assertThat(KarafInstance.isFree(port)).as("port %d free after bundle:stop", port).isTrue();

        karaf.shellOrFail(Duration.ofMinutes(2), "bundle:start " + BUNDLE);
        awaitRegistry();
        HttpResponse<String> readAgain = send(authorised("/Appointment/" + id).GET().build());
        assertThat(readAgain.statusCode()).as(readAgain.body()).isEqualTo(200);

        // The uninstall may refresh Karaf's shell bundles and end the session before it has finished.
        karaf.shellOrFail(Duration.ofMinutes(2), "feature:uninstall appointment-registry");
        assertThat(KarafInstance.awaitFree(port, Duration.ofMinutes(1))).as("port %d free after feature:uninstall", port)
                .isTrue();
    }

    private static void awaitRegistry() {
        try {
            KarafInstance.awaitPort(port, INSTALL_WAIT, "the registry in Karaf");
        } catch (IllegalStateException e) {
            throw new AssertionFailedError(e.getMessage() + "\n--- karaf.log ---\n" + karaf.logTail(150), e);
        }
    }

    private static HttpRequest.Builder authorised(String path) {
        DevMaterial dev = DevMaterial.load(work.resolve("dev"));
        String token = DevTokens.mint(dev.signingKeyJwk(), RegistrySettings.DEV_ISSUER, baseUrl, "karaf-test", READ_WRITE,
                Duration.ofMinutes(10));
        return HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(Duration.ofSeconds(60))
                .header("Authorization", "Bearer " + token);
    }

    private static HttpResponse<String> send(HttpRequest request) throws Exception {
        DevMaterial dev = DevMaterial.load(work.resolve("dev"));
        HttpClient client = HttpClient.newBuilder()
                .sslContext(TestCertificates.clientContext(dev.clientKeystore(), dev.password(), dev.truststore(),
                        dev.password()))
                .version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10)).build();
        return client.send(request, HttpResponse.BodyHandlers.ofString());
    }
}
