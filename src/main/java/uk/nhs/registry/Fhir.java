package uk.nhs.registry;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.PerformanceOptionsEnum;

/**
 * The registry speaks FHIR STU3 only. A FhirContext is expensive to build and thread-safe once
 * built, so the whole process shares this one.
 */
public final class Fhir {

    private static final FhirContext CONTEXT = FhirContext.forDstu3Cached();

    static {
        // Once the validator has asked for a few resource types, an eagerly scanning context holds the
        // child definitions of some 70 of them (~7 MB of heap for the life of the process); deferred, a
        // type's children are scanned when first used (thread-safe in HAPI) and most never are.
        CONTEXT.setPerformanceOptions(PerformanceOptionsEnum.DEFERRED_MODEL_SCANNING);
    }

    private Fhir() {
    }

    public static FhirContext context() {
        return CONTEXT;
    }
}
