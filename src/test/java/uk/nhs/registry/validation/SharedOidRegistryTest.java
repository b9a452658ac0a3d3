package uk.nhs.registry.validation;

import static org.assertj.core.api.Assertions.assertThat;

import org.hl7.fhir.common.hapi.validation.support.PrePopulatedValidationSupport;
import org.hl7.fhir.common.hapi.validation.validator.WorkerContextValidationSupportAdapter;
import org.hl7.fhir.r5.context.IWorkerContext;
import org.hl7.fhir.utilities.OIDUtilities;
import org.junit.jupiter.api.Test;
import uk.nhs.registry.Fhir;

/**
 * The pool's validators hold one OID registry between them (~5 MB each otherwise); if a library
 * upgrade moves the RI's field, this fails first (the pool still works, with a registry each).
 */
class SharedOidRegistryTest {

    @Test
    void everyValidatorOfAPoolUsesTheFirstOnesRegistry() throws Exception {
        PrePopulatedValidationSupport nothing = new PrePopulatedValidationSupport(Fhir.context());
        PooledInstanceValidator pool = new PooledInstanceValidator(nothing, 3);
        IWorkerContext worker = WorkerContextValidationSupportAdapter.newVersionSpecificWorkerContextWrapper(nothing);

        OIDUtilities first = SharedOidRegistry.of(pool.newLease(worker).validator);
        OIDUtilities second = SharedOidRegistry.of(pool.newLease(worker).validator);
        OIDUtilities third = SharedOidRegistry.of(pool.newLease(worker).validator);

        assertThat(SharedOidRegistry.available()).isTrue();
        assertThat(second).isSameAs(first);
        assertThat(third).isSameAs(first);
        // Still the whole registry: SNOMED CT's OID, and one that is not an OID of anything.
        assertThat(first.isKnownOID("urn:oid:2.16.840.1.113883.6.96")).isTrue();
        assertThat(first.isKnownOID("urn:oid:2.16.840.1.113883.999999.1")).isFalse();
    }
}
