package uk.nhs.registry;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
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
            System.setProperty("registry.http.host", "127.0.0.1");
            System.setProperty("registry.http.port", Integer.toString(port));
            System.setProperty("registry.base-url", "https://127.0.0.1:" + port + "/fhir");
            System.setProperty("registry.dev.dir", home.resolve("dev").toString());
            System.setProperty("registry.db.url", "jdbc:h2:file:" + home.resolve("db/registry").toAbsolutePath());
            System.setProperty("camel.management.host", "127.0.0.1");
            System.setProperty("camel.management.port", Integer.toString(freePort()));
            Main main = new Main();
            main.configure().addConfiguration(RegistryConfiguration.class);
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
