package uk.nhs.registry.karaf;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * What the build hands over: the runnable jar for `java -jar`, and beside it the OSGi bundle for
 * Karaf, which carries the very same route files and leaves Camel and the libraries to the hub.
 */
class PackagingIT {

    private static final Path TARGET = Path.of("target");

    @Test
    void theStandaloneJarStillStartsWithJavaJar() throws IOException {
        try (JarFile jar = new JarFile(TARGET.resolve("appointment-registry.jar").toFile())) {
            Attributes main = jar.getManifest().getMainAttributes();
            assertThat(main.getValue("Main-Class")).isEqualTo("uk.nhs.registry.RegistryApplication");
            assertThat(jar.getEntry("org/apache/camel/main/Main.class")).as("Camel inside the fat jar").isNotNull();
        }
    }

    @Test
    void theBundleStartsTheRegistryWithTheSameRouteFilesAndImportsItsDependencies() throws IOException {
        try (JarFile bundle = new JarFile(TARGET.resolve("appointment-registry-bundle.jar").toFile())) {
            Attributes main = bundle.getManifest().getMainAttributes();
            assertThat(main.getValue("Bundle-SymbolicName")).isEqualTo("uk.nhs.registry.appointment-registry");
            assertThat(main.getValue("Bundle-Activator")).isEqualTo("uk.nhs.registry.karaf.RegistryBundleActivator");
            assertThat(main.getValue("Import-Package")).contains("org.apache.camel;version=\"[4.10,5)\"",
                    "org.apache.camel.karaf.core", "ca.uhn.fhir.context");
            assertThat(bundle.getEntry("org/apache/camel/CamelContext.class")).as("Camel is the hub's").isNull();

            for (Path route : routeFiles()) {
                var entry = bundle.getEntry("routes/" + route.getFileName());
                assertThat(entry).as("bundle entry for %s", route).isNotNull();
                assertThat(bundle.getInputStream(entry).readAllBytes()).isEqualTo(Files.readAllBytes(route));
            }
        }
    }

    private static List<Path> routeFiles() throws IOException {
        try (Stream<Path> files = Files.list(Path.of("src/main/resources/routes"))) {
            return files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList();
        }
    }
}
