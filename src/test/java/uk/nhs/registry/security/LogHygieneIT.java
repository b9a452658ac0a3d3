package uk.nhs.registry.security;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;
import java.net.http.HttpRequest.BodyPublishers;
import java.util.List;
import java.util.UUID;
import org.hl7.fhir.dstu3.model.Appointment;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.LoggerFactory;
import uk.nhs.registry.testsupport.Responses;
import uk.nhs.registry.testsupport.RunningRegistry;
import uk.nhs.registry.testsupport.SharedRegistry;
import uk.nhs.registry.testsupport.TestAppointments;
import uk.nhs.registry.testsupport.TestNhsNumbers;

/**
 * What the registry logs while serving patients' appointments: never an NHS number, a token or a
 * resource, and every line written while handling a request carries its request id.
 */
@Timeout(60)
class LogHygieneIT {

    private final RunningRegistry registry = SharedRegistry.get();
    private final ListAppender<ILoggingEvent> captured = new ListAppender<>();
    private final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);

    @BeforeEach
    void capture() {
        captured.start();
        root.addAppender(captured);
    }

    @AfterEach
    void release() {
        root.detachAppender(captured);
    }

    @Test
    void registeringSearchingAndCancellingLogNoPatientDataAndEveryLineHasTheRequestId() {
        String nhs = TestNhsNumbers.valid(950);
        String badNhs = TestNhsNumbers.withBadCheckDigit(951);
        String marker = "urn:uuid:" + UUID.randomUUID();
        String token = registry.token();

        var created = registry.send(registry.request("/Appointment").header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/fhir+json")
                .POST(BodyPublishers.ofString(TestAppointments.json(TestAppointments.booked(nhs, marker,
                        java.time.Instant.now().plusSeconds(86_400))))).build());
        assertThat(created.statusCode()).isEqualTo(201);
        Appointment stored = Responses.resource(created, Appointment.class);
        registry.send(registry.request("/Appointment?patient.identifier=https://fhir.nhs.uk/Id/nhs-number%7C" + nhs)
                .header("Authorization", "Bearer " + token).GET().build());
        stored.setStatus(Appointment.AppointmentStatus.CANCELLED);
        stored.setComment("changed"); // a 422 whose diagnostics name elements of the resource
        registry.send(registry.request("/Appointment/" + stored.getIdElement().getIdPart())
                .header("Authorization", "Bearer " + token).header("If-Match", "W/\"1\"")
                .header("Content-Type", "application/fhir+json").PUT(BodyPublishers.ofString(TestAppointments.json(stored))).build());
        var rejected = registry.send(registry.request("/Appointment").header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/fhir+json")
                .POST(BodyPublishers.ofString(TestAppointments.json(TestAppointments.booked(badNhs)))).build());
        assertThat(rejected.statusCode()).isEqualTo(422);
        registry.send(registry.request("/Appointment/x").header("Authorization", "Bearer " + token + "x").GET().build());

        List<ILoggingEvent> events = List.copyOf(captured.list);
        assertThat(events).as("the rejections are logged").isNotEmpty();
        for (ILoggingEvent event : events) {
            String line = event.getFormattedMessage()
                    + (event.getThrowableProxy() == null ? "" : ThrowableProxyUtil.asString(event.getThrowableProxy()));
            if (event.getLevel().isGreaterOrEqual(Level.INFO)) {
                assertThat(line).doesNotContain(nhs).doesNotContain(badNhs).doesNotContain(token)
                        .doesNotContain(marker).doesNotContain("\"resourceType\"");
            }
            if (event.getThreadName().startsWith("qtp")) {
                assertThat(event.getMDCPropertyMap().get("requestId")).as("request id of: %s", line).isNotBlank();
            }
        }
    }
}
