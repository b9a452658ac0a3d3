package uk.nhs.registry.testsupport;

import java.util.UUID;
import org.hl7.fhir.r4.model.Appointment;
import uk.nhs.registry.Fhir;

/**
 * R4 Appointments as medTech practice systems send them (CONTRACT §7, seed 004). The IG example is
 * written from the IG's "Create an Appointment" page: status proposed, start and end, a slot, the
 * Patient, Practitioner and Location participants by reference.
 */
public final class MedtechExamples {

    /** The medTech IG's example appointment, as a client would POST it. */
    public static final String IG_EXAMPLE = """
            {
              "resourceType": "Appointment",
              "status": "proposed",
              "appointmentType": {
                "coding": [ { "system": "http://terminology.hl7.org/CodeSystem/v2-0276", "code": "ROUTINE",
                              "display": "Routine appointment - default if not valued" } ]
              },
              "description": "Consultation with Dr Adam Careful",
              "slot": [ { "reference": "Slot/example-slot" } ],
              "start": "2030-03-10T09:00:00+13:00",
              "end": "2030-03-10T09:15:00+13:00",
              "comment": "Patient would like a telephone reminder",
              "participant": [
                { "actor": { "reference": "Patient/example-patient", "display": "Peter James Chalmers" },
                  "required": "required", "status": "accepted" },
                { "actor": { "reference": "Practitioner/example-practitioner", "display": "Dr Adam Careful" },
                  "required": "required", "status": "accepted" },
                { "actor": { "reference": "Location/example-location", "display": "South Wing, second floor" },
                  "required": "required", "status": "accepted" }
              ]
            }
            """;

    private MedtechExamples() {
    }

    /** The IG example parsed. */
    public static Appointment igExample() {
        return Fhir.r4().newJsonParser().parseResource(Appointment.class, IG_EXAMPLE);
    }

    /** A minimal valid create for a patient of its own: proposed, start, end, Patient and Practitioner. */
    public static Appointment proposed(String patientId) {
        Appointment a = new Appointment();
        a.setStatus(Appointment.AppointmentStatus.PROPOSED);
        a.getStartElement().setValueAsString("2030-03-10T09:00:00+13:00");
        a.getEndElement().setValueAsString("2030-03-10T09:15:00+13:00");
        a.addParticipant().setStatus(Appointment.ParticipationStatus.ACCEPTED).getActor().setReference("Patient/" + patientId);
        a.addParticipant().setStatus(Appointment.ParticipationStatus.ACCEPTED).getActor().setReference("Practitioner/prac-1");
        return a;
    }

    /** A patient id no other test uses. */
    public static String newPatientId() {
        return "p-" + UUID.randomUUID();
    }

    public static String json(Appointment a) {
        return Fhir.r4().newJsonParser().encodeResourceToString(a);
    }

    public static String xml(Appointment a) {
        return Fhir.r4().newXmlParser().encodeResourceToString(a);
    }
}
