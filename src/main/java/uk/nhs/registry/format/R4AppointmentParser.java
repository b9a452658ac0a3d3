package uk.nhs.registry.format;

import org.hl7.fhir.r4.model.Appointment;
import uk.nhs.registry.Fhir;

/**
 * Turns a payload into an R4 Appointment for the medTech flavour (CONTRACT §7), by the same rules
 * as the STU3 {@link AppointmentParser} ({@link ResourceParsing}, {@link ElementLengthLimit}) with
 * HAPI's R4 context.
 */
public final class R4AppointmentParser {

    private final ElementLengthLimit lengthLimit;

    public R4AppointmentParser() {
        this(AppointmentParser.DEFAULT_MAX_STRING_LENGTH);
    }

    public R4AppointmentParser(int maxStringLength) {
        this.lengthLimit = new ElementLengthLimit(maxStringLength);
    }

    public Appointment parse(String payload, FhirFormat format) {
        Appointment appointment = ResourceParsing.parse(Fhir.r4(), Appointment.class, "R4", payload, format);
        lengthLimit.check(appointment);
        return appointment;
    }
}
