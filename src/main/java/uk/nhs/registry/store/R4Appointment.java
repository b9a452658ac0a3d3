package uk.nhs.registry.store;

import ca.uhn.fhir.model.api.TemporalPrecisionEnum;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Objects;
import java.util.TimeZone;
import org.hl7.fhir.r4.model.Appointment;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.InstantType;
import uk.nhs.registry.Fhir;

/**
 * An R4 (medTech) Appointment as the store writes it; the patient is the participant's reference,
 * {@code Patient/{id}}, that the medTech rules found (null on a cancel, which keeps the registered one).
 */
public record R4Appointment(Appointment appointment, String patientReference) implements StorableAppointment {

    private static final TimeZone UTC = TimeZone.getTimeZone("UTC");

    public R4Appointment {
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
    public String nhsNumber() {
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

    /** Identifiers are optional in R4; those with both system and value are kept unique within the flavour. */
    @Override
    public List<RegisteredIdentifier> identifiers() {
        List<RegisteredIdentifier> found = new ArrayList<>();
        for (Identifier identifier : appointment.getIdentifier()) {
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
        return Fhir.r4().newJsonParser().encodeResourceToString(copy);
    }

    /** The R4 resource of a stored version (which {@link StoredAppointment#resource()} reads as STU3). */
    public static Appointment resourceOf(StoredAppointment stored) {
        return Fhir.r4().newJsonParser().parseResource(Appointment.class, stored.json());
    }

    private static Long millis(Date date) {
        return date == null ? null : date.getTime();
    }
}
