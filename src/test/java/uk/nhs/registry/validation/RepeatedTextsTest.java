package uk.nhs.registry.validation;

import static org.assertj.core.api.Assertions.assertThat;

import org.hl7.fhir.dstu3.model.ValueSet;
import org.junit.jupiter.api.Test;

class RepeatedTextsTest {

    @Test
    void equalTextsBecomeOneInstanceAndKeepTheirValues() {
        ValueSet first = valueSet(new String("http://hl7.org/fhir/appointmentstatus"), new String("booked"));
        ValueSet second = valueSet(new String("http://hl7.org/fhir/appointmentstatus"), new String("booked"));
        assertThat(first.getCompose().getIncludeFirstRep().getSystem())
                .isNotSameAs(second.getCompose().getIncludeFirstRep().getSystem());

        RepeatedTexts texts = new RepeatedTexts();
        texts.share(first);
        texts.share(second);

        ValueSet.ConceptSetComponent a = first.getCompose().getIncludeFirstRep();
        ValueSet.ConceptSetComponent b = second.getCompose().getIncludeFirstRep();
        assertThat(b.getSystem()).isSameAs(a.getSystem()).isEqualTo("http://hl7.org/fhir/appointmentstatus");
        assertThat(b.getConceptFirstRep().getCode()).isSameAs(a.getConceptFirstRep().getCode()).isEqualTo("booked");
        assertThat(b.getSystemElement().getValueAsString()).isSameAs(a.getSystem());
        // Ids are parsed from their text, so they are left as they are.
        assertThat(second.getIdElement().getIdPart()).isEqualTo("status");
    }

    private static ValueSet valueSet(String system, String code) {
        ValueSet vs = new ValueSet();
        vs.setId(new String("status"));
        vs.getCompose().addInclude().setSystem(system).addConcept().setCode(code);
        return vs;
    }
}
