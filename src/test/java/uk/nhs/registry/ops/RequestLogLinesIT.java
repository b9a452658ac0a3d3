package uk.nhs.registry.ops;

import uk.nhs.registry.RequestIds;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import uk.nhs.registry.http.RequestPreparation;
import uk.nhs.registry.testsupport.RunningRegistry;
import uk.nhs.registry.testsupport.SharedRegistry;
import uk.nhs.registry.testsupport.TestNhsNumbers;

/** The log lines a request leaves: each carries its request id, none an NHS number. */
class RequestLogLinesIT {

    private final RunningRegistry registry = SharedRegistry.get();
    private final ListAppender<ILoggingEvent> captured = new ListAppender<>();
    private Logger root;

    @BeforeEach
    void capture() {
        root = ((LoggerContext) LoggerFactory.getILoggerFactory()).getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        captured.start();
        root.addAppender(captured);
    }

    @AfterEach
    void release() {
        root.detachAppender(captured);
    }

    @Test
    void everyLineAboutARequestCarriesItsRequestId() throws Exception {
        HttpResponse<String> response = registry.send(registry.authorised("/Appointment/unknown-id")
                .header("X-Request-Id", "ops-log-1").GET().build());
        assertThat(response.statusCode()).isEqualTo(404);

        List<String> lines = awaitLines("ops-log-1", "READ answered 404 in");
        assertThat(lines).anySatisfy(l -> assertThat(l).contains("READ answered 404 NO_RECORD_FOUND"));
        assertThat(lines).anySatisfy(l -> assertThat(l).matches("READ answered 404 in \\d+ ms"));
    }

    @Test
    void aSearchByNhsNumberLeavesTheNumberOutOfTheLog() throws Exception {
        String nhsNumber = TestNhsNumbers.valid(110);
        HttpResponse<String> response = registry.send(registry.authorised(
                "/Appointment?patient.identifier=https://fhir.nhs.uk/Id/nhs-number%7C" + nhsNumber)
                .header("X-Request-Id", "ops-log-2").GET().build());
        assertThat(response.statusCode()).isEqualTo(200);

        assertThat(awaitLines("ops-log-2", "SEARCH answered 200 in")).anySatisfy(l -> assertThat(l).matches("SEARCH answered 200 in \\d+ ms"));
        assertThat(events()).extracting(ILoggingEvent::getFormattedMessage).noneMatch(m -> m.contains(nhsNumber));
    }

    /**
     * The access line is written when Camel completes the exchange, which can be just after the
     * client has its response: wait (boundedly) for the line, then read every line with the id.
     */
    private List<String> awaitLines(String requestId, String accessLine) throws InterruptedException {
        for (int attempt = 0; attempt < 200; attempt++) {
            List<String> lines = linesWithRequestId(requestId);
            if (lines.stream().anyMatch(l -> l.startsWith(accessLine))) {
                return lines;
            }
            Thread.sleep(25);
        }
        throw new AssertionError("no access line for request " + requestId + ": " + linesWithRequestId(requestId));
    }

    private List<String> linesWithRequestId(String requestId) {
        return events().stream()
                .filter(e -> requestId.equals(e.getMDCPropertyMap().get(RequestIds.MDC_KEY)))
                .map(ILoggingEvent::getFormattedMessage)
                .toList();
    }

    /** A copy taken under the appender's lock: Jetty threads append while the test reads. */
    private List<ILoggingEvent> events() {
        synchronized (captured) {
            return new ArrayList<>(captured.list);
        }
    }
}
