package uk.nhs.registry.validation;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.support.DefaultProfileValidationSupport;
import java.util.Set;
import org.hl7.fhir.common.hapi.validation.support.PrePopulatedValidationSupport;
import org.hl7.fhir.dstu3.model.StructureDefinition;
import org.hl7.fhir.dstu3.model.StructureDefinition.StructureDefinitionKind;
import org.hl7.fhir.dstu3.model.StructureDefinition.TypeDerivationRule;
import org.hl7.fhir.instance.model.api.IBaseResource;

/**
 * The part of the FHIR STU3 core that validating an Appointment can reach: every data type,
 * extension and logical definition, every core profile (an Appointment may name any of them in
 * meta.profile, and is then judged against it), the Appointment resource and its bases, the
 * resources the registry's and operator's profiles constrain, and all of the core terminology.
 *
 * <p>Why not HAPI's whole core: the validator converts every StructureDefinition it holds to R5
 * and keeps both copies, and its parsers walk the whole list; the ~110 other resource definitions
 * were about 60% of the live heap (~100 MB) and of every such walk, and with the heap the registry
 * recommends they made the garbage collector run nearly continuously under load. The other resource
 * types can only appear in an Appointment as contained resources, which the registry refuses
 * (AppointmentRules), and as reference targets, which the validator checks by name against the
 * FhirContext, not against their definitions. Terminology is kept whole, so a coding from any core
 * code system is checked exactly as stock HAPI checks it.
 */
final class CoreDefinitions {

    private static final Set<String> RESOURCE_TYPES = Set.of("Appointment", "DomainResource", "Resource");

    private CoreDefinitions() {
    }

    /**
     * Copies what is needed out of HAPI's core and lets go of the rest.
     *
     * @param profiledTypes the types the registry's and operator's profiles constrain, kept too so
     *     that a meta.profile naming one of them is judged against the same base as by stock HAPI
     */
    static PrePopulatedValidationSupport keep(DefaultProfileValidationSupport core, Set<String> profiledTypes) {
        FhirContext ctx = core.getFhirContext();
        PrePopulatedValidationSupport kept = new PrePopulatedValidationSupport(ctx);
        for (IBaseResource definition : core.<IBaseResource>fetchAllStructureDefinitions()) {
            StructureDefinition sd = (StructureDefinition) definition;
            if (sd.getKind() != StructureDefinitionKind.RESOURCE || sd.getDerivation() == TypeDerivationRule.CONSTRAINT
                    || RESOURCE_TYPES.contains(sd.getType()) || profiledTypes.contains(sd.getType())) {
                kept.addStructureDefinition(sd);
            }
        }
        // The terminology files are loaded on the first terminology fetch, all at once.
        core.fetchCodeSystem("http://hl7.org/fhir/appointmentstatus");
        for (IBaseResource definition : core.fetchAllConformanceResources()) {
            if (!(definition instanceof StructureDefinition)) {
                kept.addResource(definition);
            }
        }
        // HAPI keeps the parsed core in a static holder shared by every DefaultProfileValidationSupport;
        // let go of it so that only what is kept here stays in memory (a later user reloads it).
        core.flush();
        kept.lock();
        return kept;
    }
}
