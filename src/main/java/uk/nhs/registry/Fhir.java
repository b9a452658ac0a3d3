package uk.nhs.registry;

import ca.uhn.fhir.context.FhirContext;

/**
 * The registry speaks FHIR STU3 only. A FhirContext is expensive to build and thread-safe once
 * built, so the whole process shares this one.
 */
public final class Fhir {

    private static final FhirContext CONTEXT = FhirContext.forDstu3Cached();

    private Fhir() {
    }

    public static FhirContext context() {
        return CONTEXT;
    }
}
