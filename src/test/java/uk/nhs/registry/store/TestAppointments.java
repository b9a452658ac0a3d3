package uk.nhs.registry.store;

import java.time.Instant;
import java.util.Date;
import org.hl7.fhir.dstu3.model.Appointment;
import org.hl7.fhir.dstu3.model.Appointment.AppointmentStatus;
import org.hl7.fhir.dstu3.model.Appointment.ParticipationStatus;
import org.hl7.fhir.dstu3.model.Identifier;
import org.hl7.fhir.dstu3.model.Reference;
import uk.nhs.registry.security.Caller;

/** Appointments and callers as the HTTP layer would hand them to the store. */
final class TestAppointments {

    static final String SYSTEM = "https://fhir.example.nhs.uk/Id/appointment";
    static final Caller CLINICIAN = Caller.http("https://auth.example.nhs.uk", "user-123", "A12345", "CN=client.example");
    static final Caller FEED = Caller.feed("pas-feed");

    private TestAppointments() {
    }

    static Appointment booked(String nhsNumber, Instant start, String... identifierValues) {
        Appointment appointment = new Appointment();
        appointment.setStatus(AppointmentStatus.BOOKED);
        if (start != null) {
            appointment.setStart(Date.from(start));
            appointment.setEnd(Date.from(start.plusSeconds(900)));
        }
        for (String value : identifierValues) {
            appointment.addIdentifier(new Identifier().setSystem(SYSTEM).setValue(value));
        }
        appointment.addParticipant()
                .setActor(new Reference().setIdentifier(
                        new Identifier().setSystem("https://fhir.nhs.uk/Id/nhs-number").setValue(nhsNumber)))
                .setStatus(ParticipationStatus.ACCEPTED);
        return appointment;
    }

    static Appointment cancelled(StoredAppointment current) {
        Appointment appointment = current.resource();
        appointment.setStatus(AppointmentStatus.CANCELLED);
        appointment.setDescription("Cancelled by the patient");
        return appointment;
    }
}
