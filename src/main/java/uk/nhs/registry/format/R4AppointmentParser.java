package uk.nhs.registry.format;

import org.hl7.fhir.r4.model.Appointment;
import uk.nhs.registry.Fhir;

/**
 * Turns a payload into an R4 Appointment for the medTech flavour (CONTRACT §7), by the same rules
 * and limits as the STU3 {@link AppointmentParser} ({@link ResourceParsing}), with HAPI's R4 context.
 */
public final class R4AppointmentParser {

    private final ResourceParsing<Appointment> parsing;

    public R4AppointmentParser() {
        this(AppointmentParser.DEFAULT_MAX_STRING_LENGTH, AppointmentParser.DEFAULT_MAX_REPEATS,
                AppointmentParser.DEFAULT_MAX_ELEMENTS);
    }

    public R4AppointmentParser(int maxStringLength, int maxRepeats, int maxElements) {
        this.parsing = new ResourceParsing<>(Fhir.r4(), Appointment.class, maxStringLength, maxRepeats, maxElements);
    }

    public Appointment parse(String payload, FhirFormat format) {
        return parsing.parse(payload, format);
    }
}
