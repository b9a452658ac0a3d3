package uk.nhs.registry.format;

import org.hl7.fhir.dstu3.model.Appointment;
import uk.nhs.registry.Fhir;

/**
 * Turns a payload into an STU3 Appointment, for the HTTP and the feed paths alike, by the rules of
 * {@link ResourceParsing}.
 */
public final class AppointmentParser {

    /** The longest single value accepted by default (registry.validation.max-string-length). */
    public static final int DEFAULT_MAX_STRING_LENGTH = 10_000;
    /** The most entries of any one repeating element accepted by default (registry.validation.max-repeats). */
    public static final int DEFAULT_MAX_REPEATS = 100;
    /** The most elements in one resource accepted by default (registry.validation.max-elements). */
    public static final int DEFAULT_MAX_ELEMENTS = 2_000;

    private final ResourceParsing<Appointment> parsing;

    public AppointmentParser() {
        this(DEFAULT_MAX_STRING_LENGTH);
    }

    public AppointmentParser(int maxStringLength) {
        this(maxStringLength, DEFAULT_MAX_REPEATS, DEFAULT_MAX_ELEMENTS);
    }

    public AppointmentParser(int maxStringLength, int maxRepeats, int maxElements) {
        this.parsing = new ResourceParsing<>(Fhir.context(), Appointment.class, maxStringLength, maxRepeats, maxElements);
    }

    /**
     * The Appointment the payload holds, read exactly as written, with every size limit met, or a
     * 400 / 422. Nothing here is expensive per element: the limits are met before validation runs.
     */
    public Appointment parse(String payload, FhirFormat format) {
        return parsing.parse(payload, format);
    }
}
