package uk.nhs.registry;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.PerformanceOptionsEnum;

/**
 * The registry speaks FHIR STU3 (the NHS flavour) and R4 (the medTech flavour, CONTRACT §7). A
 * FhirContext is expensive to build and thread-safe once built, so the whole process shares one
 * per FHIR version.
 */
public final class Fhir {

    private static final FhirContext CONTEXT = FhirContext.forDstu3Cached();
    private static final FhirContext R4 = FhirContext.forR4Cached();

    static {
        // Once the validator has asked for a few resource types, an eagerly scanning context holds the
        // child definitions of some 70 of them (~7 MB of heap for the life of the process); deferred, a
        // type's children are scanned when first used (thread-safe in HAPI) and most never are.
        CONTEXT.setPerformanceOptions(PerformanceOptionsEnum.DEFERRED_MODEL_SCANNING);
        R4.setPerformanceOptions(PerformanceOptionsEnum.DEFERRED_MODEL_SCANNING);
    }

    private Fhir() {
    }

    /** The STU3 context (the NHS flavour). */
    public static FhirContext context() {
        return CONTEXT;
    }

    /** The R4 context (the medTech flavour). */
    public static FhirContext r4() {
        return R4;
    }

    /** The context of the FHIR version a resource belongs to: STU3 or R4. */
    public static FhirContext contextOf(org.hl7.fhir.instance.model.api.IBaseResource resource) {
        return resource.getStructureFhirVersionEnum() == ca.uhn.fhir.context.FhirVersionEnum.R4 ? R4 : CONTEXT;
    }
}
