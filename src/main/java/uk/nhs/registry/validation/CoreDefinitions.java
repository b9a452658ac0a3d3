package uk.nhs.registry.validation;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.support.DefaultProfileValidationSupport;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import org.hl7.fhir.common.hapi.validation.support.PrePopulatedValidationSupport;
import org.hl7.fhir.dstu3.model.ElementDefinition;
import org.hl7.fhir.dstu3.model.MetadataResource;
import org.hl7.fhir.dstu3.model.StructureDefinition;
import org.hl7.fhir.dstu3.model.StructureDefinition.StructureDefinitionKind;
import org.hl7.fhir.dstu3.model.StructureDefinition.TypeDerivationRule;
import org.hl7.fhir.instance.model.api.IBaseResource;

/**
 * The part of the FHIR STU3 core that validating an Appointment can reach: every data type,
 * extension and logical definition, every core profile (an Appointment may name any of them in
 * meta.profile, and is then judged against it), the Appointment resource and its bases, the
 * resources the registry's and operator's profiles constrain. The core's terminology is
 * {@link CoreTerminology}.
 *
 * <p>Why not HAPI's whole core: the validator converts every StructureDefinition it holds to R5
 * and keeps both copies, and its parsers walk the whole list; the ~115 other resource definitions
 * and their copies were ≈ 40 MB of a ≈ 175 MB live heap, and with the heap the registry
 * recommends that kept the garbage collector running nearly continuously under load. The other resource
 * types can only appear in an Appointment as contained resources, which the registry refuses
 * (AppointmentRules), and as reference targets, which the validator checks by name against the
 * FhirContext, not against their definitions.
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
        Listed kept = new Listed(ctx);
        RepeatedTexts texts = new RepeatedTexts();
        for (IBaseResource definition : core.<IBaseResource>fetchAllStructureDefinitions()) {
            StructureDefinition sd = (StructureDefinition) definition;
            boolean baseType = sd.getKind() != StructureDefinitionKind.RESOURCE
                    || RESOURCE_TYPES.contains(sd.getType()) || profiledTypes.contains(sd.getType());
            if (baseType || sd.getDerivation() == TypeDerivationRule.CONSTRAINT) {
                StructureDefinition copy = withoutDocumentation(copyOf(sd, sd.copy()));
                texts.share(copy);
                kept.addStructureDefinition(copy);
                if (baseType && sd.getDerivation() != TypeDerivationRule.CONSTRAINT) {
                    kept.listed.add(copy);
                }
            }
        }
        // HAPI keeps the parsed core in a static holder shared by every DefaultProfileValidationSupport;
        // let go of it, so that only the copies kept here stay in memory (a later user reloads it).
        core.flush();
        kept.lock();
        return kept;
    }

    /**
     * Lists only the base types; extension definitions and core profiles are given out when the
     * validator asks for one by URL. Why: HAPI's worker context converts every listed definition
     * to R5 up front and keeps the copies (about half its heap), while an Appointment only ever
     * uses a handful of the ~400 extensions and profiles.
     */
    private static final class Listed extends PrePopulatedValidationSupport {
        private final List<IBaseResource> listed = new ArrayList<>();

        Listed(FhirContext ctx) {
            super(ctx);
        }

        @Override
        @SuppressWarnings("unchecked")
        public <T extends IBaseResource> List<T> fetchAllStructureDefinitions() {
            return (List<T>) Collections.unmodifiableList(listed);
        }

        @Override
        public List<IBaseResource> fetchAllConformanceResources() {
            List<IBaseResource> all = new ArrayList<>(super.fetchAllConformanceResources());
            all.removeIf(r -> r instanceof StructureDefinition && !listed.contains(r));
            return all;
        }
    }

    /**
     * A fresh copy, with only the package the definition came from (which findings name): HAPI
     * hangs its R5 conversion of a definition on the definition itself, and the snapshot
     * generation before this converted every core definition, documentation included.
     */
    private static <T extends MetadataResource> T copyOf(T original, T copy) {
        copy.setUserData(DefaultProfileValidationSupport.SOURCE_PACKAGE_ID,
                original.getUserData(DefaultProfileValidationSupport.SOURCE_PACKAGE_ID));
        return copy;
    }

    /*
     * What is written for people, never read by the validator: narrative, definitions, comments,
     * requirements, aliases and mappings to other standards.
     */
    private static StructureDefinition withoutDocumentation(StructureDefinition sd) {
        sd.setText(null);
        sd.setDescription(null);
        sd.setPurpose(null);
        sd.getMapping().clear();
        for (List<ElementDefinition> elements : List.of(sd.getSnapshot().getElement(), sd.getDifferential().getElement())) {
            for (ElementDefinition element : elements) {
                element.setDefinition(null);
                element.setComment(null);
                element.setRequirements(null);
                element.getAlias().clear();
                element.getMapping().clear();
            }
        }
        return sd;
    }

}
