package uk.nhs.registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The route files are listed one by one in application.properties (a wildcard makes Camel inflate
 * the whole runnable jar at start-up); a route file added without being listed would silently
 * never run, so this fails instead.
 */
class RouteFilesListedTest {

    @Test
    void everyRouteFileIsListed() throws IOException {
        Properties properties = new Properties();
        try (InputStream in = RouteFilesListedTest.class.getResourceAsStream("/application.properties")) {
            properties.load(in);
        }
        List<String> listed = Arrays.stream(properties.getProperty("camel.main.routes-include-pattern").split(","))
                .map(String::trim).toList();
        List<String> present;
        try (Stream<Path> files = Files.list(Path.of("src", "main", "resources", "routes"))) {
            present = files.map(f -> "classpath:routes/" + f.getFileName()).filter(f -> f.endsWith(".yaml")).toList();
        }
        assertThat(listed).as("camel.main.routes-include-pattern in src/main/resources/application.properties: a route"
                        + " file under src/main/resources/routes/ that it does not name is not loaded; add it there")
                .noneMatch(p -> p.contains("*")).containsExactlyInAnyOrderElementsOf(present);
    }
}
