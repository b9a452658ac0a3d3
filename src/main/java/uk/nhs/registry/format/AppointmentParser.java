package uk.nhs.registry.format;

import org.hl7.fhir.dstu3.model.Appointment;
import uk.nhs.registry.Fhir;

/**
 * Turns a payload into an STU3 Appointment, for the HTTP and the feed paths alike, by the rules of
 * {@link ResourceParsing}, and refuses over-long values ({@link ElementLengthLimit}).
 */
public final class AppointmentParser {

    /** The longest single value accepted by default (registry.validation.max-string-length). */
    public static final int DEFAULT_MAX_STRING_LENGTH = 10_000;

    private final ElementLengthLimit lengthLimit;

    public AppointmentParser() {
        this(DEFAULT_MAX_STRING_LENGTH);
    }

    public AppointmentParser(int maxStringLength) {
        this.lengthLimit = new ElementLengthLimit(maxStringLength);
    }

    public Appointment parse(String payload, FhirFormat format) {
        Appointment appointment = ResourceParsing.parse(Fhir.context(), Appointment.class, "STU3", payload, format);
        lengthLimit.check(appointment);
        return appointment;
    }
}
