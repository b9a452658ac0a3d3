package uk.nhs.registry.validation;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.support.DefaultProfileValidationSupport;
import ca.uhn.fhir.parser.IParser;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.hl7.fhir.common.hapi.validation.support.PrePopulatedValidationSupport;
import org.hl7.fhir.dstu3.model.StructureDefinition;
import org.hl7.fhir.dstu3.model.StructureDefinition.StructureDefinitionKind;
import org.hl7.fhir.dstu3.model.StructureDefinition.TypeDerivationRule;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.junit.jupiter.api.Test;
import uk.nhs.registry.Fhir;

/**
 * CoreDefinitions reads HAPI's files itself and decides what to keep before parsing; what it keeps
 * must be what the same rule keeps from HAPI's own parse of its whole core, listed in the same
 * order, with the same content less what is written for people.
 */
class CoreDefinitionsTest {

    private static final Set<String> RESOURCE_TYPES = Set.of("Appointment", "DomainResource", "Resource");

    @Test
    void keepsWhatTheRuleKeepsFromHapisParsedCoreInHapisOrder() {
        List<StructureDefinition> expectedKept = new ArrayList<>();
        List<String> expectedListed = new ArrayList<>();
        DefaultProfileValidationSupport hapi = new DefaultProfileValidationSupport(Fhir.context());
        for (IBaseResource resource : hapi.<IBaseResource>fetchAllStructureDefinitions()) {
            StructureDefinition sd = (StructureDefinition) resource;
            boolean constraint = sd.getDerivation() == TypeDerivationRule.CONSTRAINT;
            boolean baseType = sd.getKind() != StructureDefinitionKind.RESOURCE || RESOURCE_TYPES.contains(sd.getType());
            if (baseType || constraint) {
                expectedKept.add(sd);
            }
            if (baseType && !constraint) {
                expectedListed.add(sd.getUrl());
            }
        }
        hapi.flush();

        PrePopulatedValidationSupport kept = CoreDefinitions.keep(Fhir.context(), Set.of());

        assertThat(kept.<StructureDefinition>fetchAllStructureDefinitions()).extracting(StructureDefinition::getUrl)
                .containsExactlyElementsOf(expectedListed)
                .contains("http://hl7.org/fhir/StructureDefinition/Appointment", "http://hl7.org/fhir/StructureDefinition/CodeableConcept")
                .doesNotContain("http://hl7.org/fhir/StructureDefinition/Patient");
        IParser hapiJson = Fhir.context().newJsonParser().setDontEncodeElements(documentationPaths());
        IParser keptJson = Fhir.context().newJsonParser();
        assertThat(expectedKept).hasSizeGreaterThan(400);
        for (StructureDefinition expected : expectedKept) {
            IBaseResource actual = kept.fetchStructureDefinition(expected.getUrl());
            assertThat(actual).as(expected.getUrl()).isNotNull();
            assertThat(keptJson.encodeResourceToString(actual)).as(expected.getUrl())
                    .isEqualTo(hapiJson.encodeResourceToString(expected));
            assertThat(actual.getUserData(DefaultProfileValidationSupport.SOURCE_PACKAGE_ID)).isEqualTo("hl7.fhir.r3.core");
        }
        assertThat(kept.fetchStructureDefinition("http://hl7.org/fhir/StructureDefinition/Patient")).isNull();
    }

    @Test
    void alsoKeepsTheResourceTypesTheProfilesConstrain() {
        PrePopulatedValidationSupport kept = CoreDefinitions.keep(Fhir.context(), Set.of("Patient"));

        assertThat(kept.fetchStructureDefinition("http://hl7.org/fhir/StructureDefinition/Patient")).isNotNull();
        assertThat(kept.fetchStructureDefinition("http://hl7.org/fhir/StructureDefinition/Observation")).isNull();
    }

    /** What CoreDefinitions leaves out of a structure definition. */
    private static Set<String> documentationPaths() {
        Set<String> paths = new HashSet<>(Set.of("StructureDefinition.text", "StructureDefinition.description",
                "StructureDefinition.purpose", "StructureDefinition.mapping"));
        for (String elements : List.of("StructureDefinition.snapshot.element", "StructureDefinition.differential.element")) {
            for (String documentation : List.of("definition", "comment", "requirements", "alias", "mapping")) {
                paths.add(elements + "." + documentation);
            }
        }
        return paths;
    }
}
