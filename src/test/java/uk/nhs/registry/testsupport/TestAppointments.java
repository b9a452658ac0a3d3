package uk.nhs.registry.testsupport;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.UUID;
import org.hl7.fhir.dstu3.model.Appointment;
import org.hl7.fhir.dstu3.model.Identifier;
import org.hl7.fhir.dstu3.model.Reference;
import uk.nhs.registry.Fhir;

/** Appointments as a provider system would register them. */
public final class TestAppointments {

    public static final String NHS_SYSTEM = "https://fhir.nhs.uk/Id/nhs-number";
    public static final String IDENTIFIER_SYSTEM = "urn:ietf:rfc:3986";

    private TestAppointments() {
    }

    /** A booked appointment for the patient, a day from now, with a fresh identifier. */
    public static Appointment booked(String nhsNumber) {
        return booked(nhsNumber, "urn:uuid:" + UUID.randomUUID(), Instant.now().plus(1, ChronoUnit.DAYS));
    }

    public static Appointment booked(String nhsNumber, String identifierValue, Instant start) {
        Appointment appointment = new Appointment();
        appointment.addIdentifier(new Identifier().setSystem(IDENTIFIER_SYSTEM).setValue(identifierValue));
        appointment.setStatus(Appointment.AppointmentStatus.BOOKED);
        appointment.setStart(Date.from(start.truncatedTo(ChronoUnit.SECONDS)));
        appointment.setEnd(Date.from(start.truncatedTo(ChronoUnit.SECONDS).plus(15, ChronoUnit.MINUTES)));
        appointment.setCreated(new Date());
        appointment.addParticipant()
                .setActor(new Reference().setIdentifier(new Identifier().setSystem(NHS_SYSTEM).setValue(nhsNumber)))
                .setStatus(Appointment.ParticipationStatus.ACCEPTED);
        return appointment;
    }

    public static String json(Appointment appointment) {
        return Fhir.context().newJsonParser().encodeResourceToString(appointment);
    }

    public static String xml(Appointment appointment) {
        return Fhir.context().newXmlParser().encodeResourceToString(appointment);
    }

    public static Appointment parse(String json) {
        return Fhir.context().newJsonParser().parseResource(Appointment.class, json);
    }
}
