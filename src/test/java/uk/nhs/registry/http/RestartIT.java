package uk.nhs.registry.http;

import static org.assertj.core.api.Assertions.assertThat;
import static uk.nhs.registry.testsupport.Responses.resource;

import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import org.hl7.fhir.dstu3.model.Appointment;
import org.junit.jupiter.api.Test;
import uk.nhs.registry.testsupport.RunningRegistry;
import uk.nhs.registry.testsupport.TestAppointments;
import uk.nhs.registry.testsupport.TestNhsNumbers;

/** A restart on the default embedded database keeps every acknowledged write and the dev material. */
class RestartIT {

    @Test
    void everyAcknowledgedWriteSurvivesARestart() throws Exception {
        try (RunningRegistry registry = RunningRegistry.start()) {
            HttpResponse<String> created = registry.send(registry.authorised("/Appointment").header("Content-Type", "application/fhir+json")
                    .POST(BodyPublishers.ofString(TestAppointments.json(TestAppointments.booked(TestNhsNumbers.valid(70))))).build());
            assertThat(created.statusCode()).isEqualTo(201);
            Appointment read = resource(created, Appointment.class);
            read.setStatus(Appointment.AppointmentStatus.CANCELLED);
            String id = read.getIdElement().getIdPart();
            assertThat(registry.send(registry.authorised("/Appointment/" + id).header("Content-Type", "application/fhir+json")
                    .header("If-Match", "W/\"1\"").PUT(BodyPublishers.ofString(TestAppointments.json(read))).build()).statusCode())
                    .isEqualTo(200);
            byte[] serverKeystore = Files.readAllBytes(registry.dev().serverKeystore());

            registry.restart();

            HttpResponse<String> after = registry.send(registry.authorised("/Appointment/" + id).GET().build());
            assertThat(after.statusCode()).isEqualTo(200);
            assertThat(after.headers().firstValue("ETag")).hasValue("W/\"2\"");
            assertThat(resource(registry.send(registry.authorised("/Appointment/" + id + "/_history/1").GET().build()),
                    Appointment.class).getStatus()).isEqualTo(Appointment.AppointmentStatus.BOOKED);
            assertThat(Files.readAllBytes(registry.dev().serverKeystore())).as("dev material made once").isEqualTo(serverKeystore);
        }
    }
}
