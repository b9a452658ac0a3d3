package uk.nhs.registry.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import uk.nhs.registry.security.dev.DevMaterial;
import uk.nhs.registry.testsupport.RegistryJar;
import uk.nhs.registry.testsupport.TestCertificates;

/**
 * The runnable jar configured the ways README "Configuration" tells an operator to: environment
 * variables in Camel's convention, and a properties file of their own named at start. What an
 * operator checks: the ports that answer, the management address the log gives, and that the
 * printed curl line works as printed.
 */
class OperatorConfigurationIT {

    private static final Duration START = Duration.ofMinutes(3);
    private static final String STARTED = "Route files loaded";
    private static final Path PROFILES = Path.of("..", "shared", "profiles").toAbsolutePath().normalize();

    @TempDir
    Path folder;

    @Test
    void environmentVariablesMoveTheApiAndManagementPortsAndTheLogAndCurlLinesFollow() throws Exception {
        int api = RegistryJar.freePort();
        int management = RegistryJar.freePort();
        Map<String, String> environment = Map.of(
                "REGISTRY_HTTP_HOST", "127.0.0.1",
                "REGISTRY_HTTP_PORT", Integer.toString(api),
                "CAMEL_MANAGEMENT_HOST", "127.0.0.1",
                "CAMEL_MANAGEMENT_PORT", Integer.toString(management),
                "REGISTRY_DEV_DIR", folder.resolve("dev").toString(),
                "REGISTRY_DB_URL", "jdbc:hsqldb:file:" + folder.resolve("db/registry"),
                "REGISTRY_VALIDATION_PROFILES_DIR", PROFILES.toString());

        try (RegistryJar registry = RegistryJar.start(folder, environment, List.of())) {
            registry.awaitOutput("# More tokens", START);

            assertThat(managementStatus(management, "/observe/health/ready")).as(registry.output()).isEqualTo(200);
            registry.awaitOutput(STARTED, START);
            assertThat(registry.output())
                    .contains("metrics http://127.0.0.1:" + management + "/observe/metrics")
                    .contains("readiness http://127.0.0.1:" + management + "/observe/health/ready")
                    .contains("mint-token --dir " + folder.resolve("dev") + " --audience https://localhost:" + api + "/fhir")
                    .contains("Route files loaded (camel.main.routes-include-pattern): classpath:routes/fhir-api.yaml,"
                            + " classpath:routes/appointments.yaml, classpath:routes/ingest.yaml");
            assertThePrintedSearchWorks(registry.output(), api, folder.resolve("dev"));
        }
    }

    @Test
    void aPropertiesFileNamedAtStartMovesPortsAndAnEnvironmentVariableStillWinsOverIt() throws Exception {
        int api = RegistryJar.freePort();
        int management = RegistryJar.freePort();
        int notUsed = RegistryJar.freePort();
        Path file = folder.resolve("registry.properties");
        Files.writeString(file, String.join("\n",
                "# an operator's file",
                "registry.http.host = 127.0.0.1",
                "registry.http.port = " + notUsed,
                "camel.management.host = 127.0.0.1",
                "camel.management.port = " + management,
                "registry.dev.dir = " + folder.resolve("dev"),
                "registry.db.url = jdbc:hsqldb:file:" + folder.resolve("db/registry"),
                "registry.validation.profiles-dir = " + PROFILES,
                ""));

        try (RegistryJar registry = RegistryJar.start(folder, Map.of("REGISTRY_HTTP_PORT", Integer.toString(api)),
                List.of("-Dcamel.main.override-properties-location=file:" + file))) {
            registry.awaitOutput(STARTED, START);

            assertThat(managementStatus(management, "/observe/health/ready")).as(registry.output()).isEqualTo(200);
            assertThat(registry.output()).contains("metrics http://127.0.0.1:" + management + "/observe/metrics")
                    .doesNotContain(":" + notUsed + "/fhir");
            assertThePrintedSearchWorks(registry.output(), api, folder.resolve("dev"));
        }
    }

    /** The printed patient search, sent as printed (its URL and token) with the development client certificate. */
    private static void assertThePrintedSearchWorks(String output, int api, Path devDir) throws Exception {
        Matcher search = Pattern.compile("-H 'Authorization: Bearer ([^']+)'.*\\n\\s+'(https://[^']+/Appointment\\?[^']+)'")
                .matcher(output);
        assertThat(search.find()).as("a printed search in:\n%s", output).isTrue();
        String url = search.group(2);
        assertThat(url).startsWith("https://localhost:" + api + "/fhir/Appointment?");

        DevMaterial dev = DevMaterial.load(devDir);
        SSLContext tls = TestCertificates.clientContext(dev.clientKeystore(), dev.password(), dev.truststore(), dev.password());
        HttpClient client = HttpClient.newBuilder().sslContext(tls).connectTimeout(Duration.ofSeconds(5)).build();
        HttpResponse<String> response = client.send(HttpRequest.newBuilder(URI.create(url))
                .header("Authorization", "Bearer " + search.group(1)).header("Accept", "application/fhir+json")
                .timeout(Duration.ofSeconds(30)).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(response.body()).contains("\"resourceType\":\"Bundle\"");
    }

    private static int managementStatus(int port, String path) throws IOException, InterruptedException {
        HttpResponse<String> response = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build()
                .send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(30))
                        .GET().build(), HttpResponse.BodyHandlers.ofString());
        return response.statusCode();
    }
}
