package uk.nhs.registry.ops;

import uk.nhs.registry.RequestIds;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.core.status.Status;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.MDC;
import uk.nhs.registry.http.RequestPreparation;

/**
 * The shipped logback.xml (not the test one), loaded into a logger context of its own, as the
 * registry's JVM would load it with the format switch set.
 */
class LogFormatTest {

    @Test
    void jsonFormatWritesOneJsonObjectALineWithTheRequestId() throws Exception {
        List<String> lines = logOneLine("json");

        assertThat(lines).hasSize(1);
        JsonNode line = new ObjectMapper().readTree(lines.get(0));
        assertThat(line.get("level").asText()).isEqualTo("INFO");
        assertThat(line.get("loggerName").asText()).isEqualTo("uk.nhs.registry.access");
        assertThat(line.get("formattedMessage").asText()).isEqualTo("CREATE answered 201 in 12 ms");
        assertThat(line.get("timestamp").asLong()).isPositive();
        assertThat(line.get("mdc").get(RequestIds.MDC_KEY).asText()).isEqualTo("req-42");
    }

    @Test
    void textFormatIsTheDefaultAndCarriesTheRequestId() throws Exception {
        List<String> lines = logOneLine(null);

        assertThat(lines).hasSize(1);
        assertThat(lines.get(0)).contains("INFO", "[req-42]", "uk.nhs.registry.access", "CREATE answered 201 in 12 ms")
                .doesNotStartWith("{");
    }

    private static List<String> logOneLine(String format) throws Exception {
        URL shipped = LogFormatTest.class.getClassLoader().getResource("logback.xml");
        assertThat(shipped).as("the shipped logback.xml").isNotNull();
        LoggerContext context = new LoggerContext();
        // the MDC the application writes to (slf4j's), as in the registry's own logger context
        context.setMDCAdapter(MDC.getMDCAdapter());
        if (format != null) {
            context.putProperty("registry.log.format", format);
        }
        PrintStream original = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        // ConsoleAppender writes to whatever System.out is at the time of each write.
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            JoranConfigurator configurator = new JoranConfigurator();
            configurator.setContext(context);
            configurator.doConfigure(shipped);
            // a quiet start: logback prints its own set-up when it has anything to warn about
            assertThat(context.getStatusManager().getCopyOfStatusList())
                    .allSatisfy(status -> assertThat(status.getLevel()).as(status.getMessage()).isLessThan(Status.WARN));
            Logger logger = context.getLogger("uk.nhs.registry.access");
            MDC.put(RequestIds.MDC_KEY, "req-42");
            logger.info("CREATE answered {} in {} ms", 201, 12);
        } finally {
            MDC.remove(RequestIds.MDC_KEY);
            context.stop();
            System.setOut(original);
        }
        return Arrays.stream(captured.toString(StandardCharsets.UTF_8).split("\n")).filter(l -> !l.isBlank()).toList();
    }
}
