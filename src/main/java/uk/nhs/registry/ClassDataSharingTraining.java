package uk.nhs.registry;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.component.properties.PropertiesComponent;
import org.apache.camel.main.Main;

/**
 * The build's training run for the JVM's class-data sharing archive: starts the registry once,
 * fully (development material, database, validator warm-up, routes, both ports), in a temporary
 * folder on free loopback ports, then stops and exits. Run by Maven with
 * {@code -XX:ArchiveClassesAtExit=target/appointment-registry.jsa}, so the JVM writes every class
 * this start loaded, already parsed and verified, into the archive; a start with
 * {@code -XX:SharedArchiveFile=target/appointment-registry.jsa} maps them instead of reading and
 * verifying ~13,000 classes from the shaded jar again (README "Performance": seconds of CPU).
 *
 * <p>Nothing of the run is kept but the archive: the folder is deleted. The archive only matches
 * the jar it was made from (the JVM checks its size and time) and the same JDK; with any other it
 * is ignored and the registry starts as it would without it.
 */
public final class ClassDataSharingTraining {

    private ClassDataSharingTraining() {
    }

    public static void main(String[] args) throws Exception {
        Path home = Files.createTempDirectory("registry-cds-training");
        int status = 0;
        try {
            int port = freePort();
            Main main = new Main();
            // The build machine's environment (REGISTRY_INGEST_URI, REGISTRY_DB_URL and the like) is
            // not read: the training must not consume a real feed, open a real database or read an
            // operator's files. It runs on the embedded defaults and the settings below.
            main.configure().addConfiguration(new CamelConfiguration() {
                @Override
                public void configure(CamelContext context) {
                    ((PropertiesComponent) context.getPropertiesComponent()).setEnvironmentVariableMode(
                            PropertiesComponent.ENVIRONMENT_VARIABLES_MODE_NEVER);
                }
            });
            main.configure().addConfiguration(RegistryConfiguration.class);
            Map<String, String> settings = new LinkedHashMap<>();
            settings.put("registry.http.host", "127.0.0.1");
            settings.put("registry.http.port", Integer.toString(port));
            settings.put("registry.base-url", "https://127.0.0.1:" + port + "/fhir");
            settings.put("registry.dev.dir", home.resolve("dev").toString());
            settings.put("registry.db.url", "jdbc:h2:file:" + home.resolve("db/registry").toAbsolutePath());
            settings.put("camel.management.host", "127.0.0.1");
            settings.put("camel.management.port", Integer.toString(freePort()));
            settings.put("registry.tls.enabled", "true");
            settings.put("registry.jwt.profile", "oauth2");
            for (String blank : List.of("registry.ingest.uri", "registry.ingest.jms.broker-url", "registry.tls.keystore",
                    "registry.tls.truststore", "registry.jwt.jwks", "registry.validation.profiles-dir")) {
                settings.put(blank, "");
            }
            settings.forEach(main::addOverrideProperty);
            // Started means the routes and both ports are up; then a normal shutdown.
            main.configure().setDurationMaxSeconds(1);
            main.run(args);
        } catch (Exception e) {
            e.printStackTrace();
            status = 1;
        } finally {
            deleteRecursively(home);
        }
        // The archive is written as the JVM exits; some library threads are not daemons.
        System.exit(status);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static void deleteRecursively(Path dir) throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
