package uk.nhs.registry.validation;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.hl7.fhir.common.hapi.validation.support.PrePopulatedValidationSupport;
import org.hl7.fhir.dstu3.model.Enumerations.PublicationStatus;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r5.model.CodeSystem;
import org.junit.jupiter.api.Test;
import uk.nhs.registry.Fhir;

/** The validator's lookups: each definition fetched once, and nothing a client can vary is kept. */
class CachingWorkerContextTest {

    private static final String URL = "https://example.org/CodeSystem/clinic-kind";

    /** The registry's definitions, counting what the worker context asks of them. */
    private static final class CountingSupport extends PrePopulatedValidationSupport {
        final List<String> asked = new ArrayList<>();

        CountingSupport() {
            super(Fhir.context());
        }

        @Override
        public <T extends IBaseResource> T fetchResource(Class<T> type, String url) {
            asked.add(url);
            return super.fetchResource(type, url);
        }
    }

    private static CountingSupport supportHoldingOneCodeSystem() {
        CountingSupport support = new CountingSupport();
        org.hl7.fhir.dstu3.model.CodeSystem kinds = new org.hl7.fhir.dstu3.model.CodeSystem();
        kinds.setUrl(URL).setVersion("2").setStatus(PublicationStatus.ACTIVE);
        kinds.addConcept().setCode("gp");
        support.addCodeSystem(kinds);
        return support;
    }

    @Test
    void aDefinitionFoundUnderItsOwnUrlIsFetchedFromTheSupportOnce() {
        CountingSupport support = supportHoldingOneCodeSystem();
        CachingWorkerContext worker = new CachingWorkerContext(support);

        CodeSystem first = worker.fetchResource(CodeSystem.class, URL);
        CodeSystem second = worker.fetchResource(CodeSystem.class, URL);
        CodeSystem versioned = worker.fetchResource(CodeSystem.class, URL + "|2");
        worker.fetchResource(CodeSystem.class, URL + "|2");

        assertThat(first.getUrl()).isEqualTo(URL);
        assertThat(first.getConcept()).extracting(CodeSystem.ConceptDefinitionComponent::getCode).containsExactly("gp");
        assertThat(second).isSameAs(first);
        assertThat(versioned).isSameAs(first);
        assertThat(support.asked).containsExactly(URL, URL + "|2");
    }

    @Test
    void urlsThatFindNothingOrNameAnotherVersionAreAskedEveryTime() {
        CountingSupport support = supportHoldingOneCodeSystem();
        CachingWorkerContext worker = new CachingWorkerContext(support);
        String unknown = "https://example.org/CodeSystem/made-up";

        for (int i = 0; i < 3; i++) {
            assertThat(worker.fetchResource(CodeSystem.class, unknown)).isNull();
            worker.fetchResource(CodeSystem.class, URL + "|9");
        }

        assertThat(support.asked).containsExactly(unknown, URL + "|9", unknown, URL + "|9", unknown, URL + "|9");
    }
}
