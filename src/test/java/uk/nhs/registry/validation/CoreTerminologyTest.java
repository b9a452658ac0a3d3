package uk.nhs.registry.validation;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.support.DefaultProfileValidationSupport;
import ca.uhn.fhir.context.support.ValidationSupportContext;
import ca.uhn.fhir.parser.IParser;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.hl7.fhir.common.hapi.validation.support.PrePopulatedValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.ValidationSupportChain;
import org.hl7.fhir.dstu3.model.CodeSystem;
import org.hl7.fhir.dstu3.model.MetadataResource;
import org.hl7.fhir.dstu3.model.ValueSet;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import uk.nhs.registry.Fhir;

/**
 * The core terminology parsed on first use must hand the validator what HAPI's core, parsed
 * whole and held by a PrePopulatedValidationSupport (as the registry did before), handed it: for
 * every URL form, the same resource with the same content, less what is written for people.
 */
class CoreTerminologyTest {

    /** What {@link CoreTerminology} leaves out of a code system. */
    private static final Set<String> DOCUMENTATION = documentationPaths();

    private static List<MetadataResource> hapiCore;
    private static PrePopulatedValidationSupport hapiHeld;

    @BeforeAll
    static void parseHapiCoreWhole() {
        DefaultProfileValidationSupport core = new DefaultProfileValidationSupport(Fhir.context());
        core.fetchCodeSystem("http://hl7.org/fhir/appointmentstatus"); // loads the terminology files
        hapiCore = new ArrayList<>();
        hapiHeld = new PrePopulatedValidationSupport(Fhir.context());
        for (IBaseResource resource : core.fetchAllConformanceResources()) {
            if (resource instanceof CodeSystem || resource instanceof ValueSet) {
                hapiCore.add((MetadataResource) resource);
                hapiHeld.addResource(resource);
            }
        }
        core.flush();
    }

    @Test
    void parsesNothingUntilAskedAndThenOnlyWhatWasAskedFor() {
        CoreTerminology terminology = CoreTerminology.load(Fhir.context());
        assertThat(terminology.parsedCount()).isZero();

        CodeSystem status = (CodeSystem) terminology.fetchCodeSystem("http://hl7.org/fhir/appointmentstatus");
        terminology.fetchCodeSystem("http://hl7.org/fhir/appointmentstatus");

        assertThat(status.getConcept()).extracting(CodeSystem.ConceptDefinitionComponent::getCode)
                .contains("proposed", "booked", "cancelled", "noshow");
        assertThat(terminology.parsedCount()).isEqualTo(1);
        assertThat(terminology.fetchValueSet("http://hl7.org/fhir/ValueSet/no-such-value-set")).isNull();
        assertThat(terminology.parsedCount()).isEqualTo(1);
    }

    @Test
    void everyCodeSystemAndValueSetOfHapisCoreComesBackWithTheSameContent() {
        CoreTerminology terminology = CoreTerminology.load(Fhir.context());
        IParser hapiJson = Fhir.context().newJsonParser().setDontEncodeElements(DOCUMENTATION);
        IParser lazyJson = Fhir.context().newJsonParser();
        assertThat(hapiCore).hasSizeGreaterThan(1500);

        for (MetadataResource expected : hapiCore) {
            IBaseResource actual = expected instanceof CodeSystem
                    ? terminology.fetchCodeSystem(expected.getUrl())
                    : terminology.fetchValueSet(expected.getUrl());
            assertThat(actual).as(expected.getUrl()).isNotNull();
            assertThat(actual.getIdElement().getValue()).as(expected.getUrl()).isEqualTo(expected.getIdElement().getValue());
            assertThat(lazyJson.encodeResourceToString(actual)).as(expected.getUrl())
                    .isEqualTo(hapiJson.encodeResourceToString(expected));
            assertThat(actual.getUserData(DefaultProfileValidationSupport.SOURCE_PACKAGE_ID)).isEqualTo("hl7.fhir.r3.core");
        }
        assertThat(terminology.fetchAllConformanceResources()).hasSameSizeAs(hapiCore);
    }

    @Test
    void everyUrlFormNamesTheSameResourceAsHapisParsedCoreDid() {
        CoreTerminology terminology = CoreTerminology.load(Fhir.context());
        ValidationSupportContext context = new ValidationSupportContext(new ValidationSupportChain(terminology));
        Set<String> forms = new HashSet<>();
        for (MetadataResource resource : hapiCore) {
            String url = resource.getUrl();
            forms.add(url);
            forms.add(url + "|" + resource.getVersion());
            forms.add(url.substring(url.lastIndexOf('/') + 1));
            forms.add(url.substring(url.lastIndexOf('/', url.lastIndexOf('/') - 1) + 1));
        }
        forms.add("http://hl7.org/fhir/appointmentstatus|0.0.0");
        forms.add("no-such-thing");

        for (String form : forms) {
            assertThat(terminology.isCodeSystemSupported(context, form)).as(form)
                    .isEqualTo(hapiHeld.isCodeSystemSupported(context, form));
            assertThat(terminology.isValueSetSupported(context, form)).as(form)
                    .isEqualTo(hapiHeld.isValueSetSupported(context, form));
            assertThat(urlOf(terminology.fetchCodeSystem(form))).as(form).isEqualTo(urlOf(hapiHeld.fetchCodeSystem(form)));
            assertThat(urlOf(terminology.fetchValueSet(form))).as(form).isEqualTo(urlOf(hapiHeld.fetchValueSet(form)));
        }
    }

    private static String urlOf(IBaseResource resource) {
        return resource == null ? null : ((MetadataResource) resource).getUrl() + "|" + ((MetadataResource) resource).getVersion();
    }

    private static Set<String> documentationPaths() {
        Set<String> paths = new HashSet<>(Set.of("CodeSystem.text", "CodeSystem.description", "CodeSystem.purpose"));
        String concept = "CodeSystem.concept";
        for (int depth = 0; depth < 12; depth++) {
            paths.add(concept + ".definition");
            concept += ".concept";
        }
        return paths;
    }
}
