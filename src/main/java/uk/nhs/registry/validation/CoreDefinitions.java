package uk.nhs.registry.validation;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.FhirVersionEnum;
import ca.uhn.fhir.context.support.DefaultProfileValidationSupport;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.hl7.fhir.common.hapi.validation.support.PrePopulatedValidationSupport;
import org.hl7.fhir.dstu3.model.ElementDefinition;
import org.hl7.fhir.dstu3.model.StructureDefinition;
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
 *
 * <p>The medTech flavour's R4 core is kept the same way, from HAPI's R4 files (CONTRACT §7).
 *
 * <p>It reads HAPI's files itself ({@link BundledResource}) so that what it drops is never
 * parsed: HAPI parses all of them at its first lookup, and the resource definitions alone (10.8
 * MB of XML) took 2.4 s at start-up (0.6 s once warm) and ≈ 20 MB of heap for the moment.
 */
final class CoreDefinitions {

    /** What HAPI's core marks its definitions with ({@link DefaultProfileValidationSupport#SOURCE_PACKAGE_ID}). */
    static final String SOURCE_PACKAGE = "hl7.fhir.r3.core";
    /** HAPI's DSTU3 structure definition files, in the order its bundle strategy reads them. */
    private static final List<String> FILES = List.of(
            "/org/hl7/fhir/dstu3/model/profile/profiles-resources.xml",
            "/org/hl7/fhir/dstu3/model/profile/profiles-types.xml",
            "/org/hl7/fhir/dstu3/model/profile/profiles-others.xml",
            "/org/hl7/fhir/dstu3/model/extension/extension-definitions.xml");
    /** The same for the R4 core, for the medTech flavour (CONTRACT §7): HAPI's R4 files, same names. */
    static final String R4_SOURCE_PACKAGE = "hl7.fhir.r4.core";
    private static final List<String> R4_FILES = FILES.stream().map(f -> f.replace("/dstu3/", "/r4/")).toList();
    private static final Set<String> RESOURCE_TYPES = Set.of("Appointment", "DomainResource", "Resource");

    private CoreDefinitions() {
    }

    /**
     * Reads HAPI's core structure definition files and parses only what is kept.
     *
     * @param profiledTypes the types the registry's and operator's profiles constrain, kept too so
     *     that a meta.profile naming one of them is judged against the same base as by stock HAPI
     */
    static PrePopulatedValidationSupport keep(FhirContext ctx, Set<String> profiledTypes) {
        boolean r4 = ctx.getVersion().getVersion() == FhirVersionEnum.R4;
        Map<String, BundledResource> byUrl = new HashMap<>();
        for (String file : r4 ? R4_FILES : FILES) {
            BundledResource.addByUrl(file, Map.of("StructureDefinition", byUrl));
        }
        Listed kept = new Listed(ctx);
        RepeatedTexts texts = new RepeatedTexts();
        for (BundledResource entry : byUrl.values()) {
            boolean constraint = "constraint".equals(entry.value("derivation"));
            boolean baseType = !"resource".equals(entry.value("kind"))
                    || RESOURCE_TYPES.contains(entry.value("type")) || profiledTypes.contains(entry.value("type"));
            if (baseType || constraint) {
                IBaseResource sd;
                if (r4) {
                    sd = withoutDocumentation((org.hl7.fhir.r4.model.StructureDefinition) entry.parse(ctx));
                    sd.setUserData(DefaultProfileValidationSupport.SOURCE_PACKAGE_ID, R4_SOURCE_PACKAGE);
                } else {
                    StructureDefinition stu3 = withoutDocumentation((StructureDefinition) entry.parse(ctx));
                    stu3.setUserData(DefaultProfileValidationSupport.SOURCE_PACKAGE_ID, SOURCE_PACKAGE);
                    texts.share(stu3);
                    sd = stu3;
                }
                kept.addStructureDefinition(sd);
                if (baseType && !constraint) {
                    kept.listed.add(sd);
                }
            }
        }
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
            all.removeIf(r -> "StructureDefinition".equals(r.fhirType()) && !listed.contains(r));
            return all;
        }
    }

    /*
     * What is written for people, never read by the validator: narrative, definitions, comments,
     * requirements, aliases and mappings to other standards.
     */
    private static org.hl7.fhir.r4.model.StructureDefinition withoutDocumentation(org.hl7.fhir.r4.model.StructureDefinition sd) {
        sd.setText(null);
        sd.setDescription(null);
        sd.setPurpose(null);
        sd.getMapping().clear();
        for (List<org.hl7.fhir.r4.model.ElementDefinition> elements : List.of(sd.getSnapshot().getElement(),
                sd.getDifferential().getElement())) {
            for (org.hl7.fhir.r4.model.ElementDefinition element : elements) {
                element.setDefinition(null);
                element.setComment(null);
                element.setRequirements(null);
                element.getAlias().clear();
                element.getMapping().clear();
            }
        }
        return sd;
    }

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
