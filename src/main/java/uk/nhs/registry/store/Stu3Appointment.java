package uk.nhs.registry.store;

import ca.uhn.fhir.model.api.TemporalPrecisionEnum;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Objects;
import java.util.TimeZone;
import org.hl7.fhir.dstu3.model.Appointment;
import org.hl7.fhir.dstu3.model.IdType;
import org.hl7.fhir.dstu3.model.Identifier;
import org.hl7.fhir.dstu3.model.InstantType;
import uk.nhs.registry.Fhir;

/** An STU3 Appointment as the store writes it; the patient is the NHS number the rules found. */
public record Stu3Appointment(Appointment appointment, String nhsNumber) implements StorableAppointment {

    private static final TimeZone UTC = TimeZone.getTimeZone("UTC");

    public Stu3Appointment {
        Objects.requireNonNull(appointment, "appointment");
        if (appointment.getStatus() == null) {
            throw new IllegalArgumentException("an appointment to store needs a status");
        }
    }

    @Override
    public String status() {
        return appointment.getStatus().toCode();
    }

    @Override
    public String patientReference() {
        return null;
    }

    @Override
    public Long startMillis() {
        return millis(appointment.getStart());
    }

    @Override
    public Long endMillis() {
        Long end = millis(appointment.getEnd());
        return end != null ? end : startMillis();
    }

    @Override
    public Long createdMillis() {
        return millis(appointment.getCreated());
    }

    @Override
    public List<RegisteredIdentifier> identifiers() {
        List<RegisteredIdentifier> found = new ArrayList<>();
        for (Identifier identifier : appointment.getIdentifier()) {
            // Only a whole identifier (system and value) points at the provider's appointment and is
            // kept unique; the rules have already required at least one.
            if (identifier.hasSystem() && identifier.hasValue()) {
                found.add(RegisteredIdentifier.checked(identifier.getSystem(), identifier.getValue()));
            }
        }
        return RegisteredIdentifier.distinctSorted(found);
    }

    // The stored resource carries its id and meta, so every later read is self-describing. The
    // caller's object is left alone.
    @Override
    public String stampedJson(String id, int version, Instant lastUpdated) {
        Appointment copy = appointment.copy();
        copy.setIdElement(new IdType("Appointment", id, Integer.toString(version)));
        copy.getMeta().setVersionId(Integer.toString(version));
        copy.getMeta().setLastUpdatedElement(new InstantType(Date.from(lastUpdated), TemporalPrecisionEnum.MILLI, UTC));
        return Fhir.context().newJsonParser().encodeResourceToString(copy);
    }

    private static Long millis(Date date) {
        return date == null ? null : date.getTime();
    }
}
