package uk.nhs.registry.store;

import java.time.Instant;
import org.hl7.fhir.dstu3.model.Appointment;
import uk.nhs.registry.Fhir;

/**
 * One stored version of an appointment. The JSON is exactly what was written, id and meta
 * included, so a read returns byte for byte what the write acknowledged.
 */
public record StoredAppointment(String id, int version, Instant lastUpdated, String status, String json) {

    public Appointment resource() {
        return Fhir.context().newJsonParser().parseResource(Appointment.class, json);
    }
}
