package uk.nhs.registry.validation;

import static org.assertj.core.api.Assertions.assertThat;

import org.hl7.fhir.dstu3.model.Appointment;
import org.hl7.fhir.dstu3.model.Identifier;
import org.hl7.fhir.dstu3.model.Reference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PatientIdentityTest {

    @Test
    void findsTheNhsNumberIdentifier() {
        assertThat(PatientIdentity.all(Appointments.valid()))
                .containsExactly(new PatientIdentity("1234554321", "Appointment.participant[0].actor.identifier.value"));
    }

    @Test
    void findsANationalServiceReference() {
        Appointment a = new Appointment();
        a.addParticipant().setActor(new Reference("https://practitioners.example.org/Practitioner/1"));
        a.addParticipant().setActor(new Reference("https://demographics.spineservices.nhs.uk/Patient/9434765919"));
        assertThat(PatientIdentity.all(a))
                .containsExactly(new PatientIdentity("9434765919", "Appointment.participant[1].actor.reference"));
    }

    @Test
    void returnsAnInvalidNumberAsWrittenSoTheRuleCanReportIt() {
        Appointment a = new Appointment();
        a.addParticipant().setActor(new Reference().setIdentifier(
                new Identifier().setSystem(PatientIdentity.NHS_NUMBER_SYSTEM).setValue("1234554322")));
        assertThat(PatientIdentity.all(a)).singleElement().satisfies(p -> {
            assertThat(p.nhsNumber()).isEqualTo("1234554322");
            assertThat(p.valid()).isFalse();
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "Patient/9434765919", // relative: a local id
        "http://demographics.spineservices.nhs.uk/Patient/9434765919", // not https
        "https://example.org/Patient/9434765919", // not a national service
        "https://evilnhs.uk/Patient/9434765919",
        "https://nhs.uk.example.org/Patient/9434765919",
        "https://demographics.spineservices.nhs.uk/Practitioner/9434765919",
        "https://demographics.spineservices.nhs.uk/Patient/9434765919?x=1"
    })
    void ignoresOtherReferences(String reference) {
        Appointment a = new Appointment();
        a.addParticipant().setActor(new Reference(reference));
        assertThat(PatientIdentity.all(a)).isEmpty();
    }

    @Test
    void ignoresIdentifiersOfOtherSystems() {
        Appointment a = new Appointment();
        a.addParticipant().setActor(new Reference().setIdentifier(
                new Identifier().setSystem("https://fhir.nhs.uk/Id/sds-user-id").setValue("9434765919")));
        assertThat(PatientIdentity.all(a)).isEmpty();
    }
}
