package uk.nhs.registry.store;

import java.util.Locale;

/**
 * The FHIR API an appointment was registered through. Each flavour sees only its own
 * appointments: every statement of the store is scoped to one.
 */
public enum Flavour {
    /** FHIR STU3, the NHS flavour at {@code [base]} (CONTRACT §1). */
    STU3,
    /** FHIR R4, the medTech (New Zealand) flavour at {@code [base-r4]} (CONTRACT §7). */
    R4;

    /** The value of the {@code flavour} columns. */
    public String column() {
        return name().toLowerCase(Locale.ROOT);
    }
}
