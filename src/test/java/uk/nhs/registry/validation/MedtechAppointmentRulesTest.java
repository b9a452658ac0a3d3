package uk.nhs.registry.validation;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.hl7.fhir.r4.model.Appointment;
import org.hl7.fhir.r4.model.Appointment.AppointmentStatus;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import uk.nhs.registry.outcome.Issue;
import uk.nhs.registry.outcome.UnprocessableEntityException;
import uk.nhs.registry.testsupport.MedtechExamples;

class MedtechAppointmentRulesTest {

    private static MedtechAppointmentRules rules;

    @BeforeAll
    static void buildValidator() {
        R4ProfileValidator validator = new R4ProfileValidator();
        validator.warmUp();
        rules = new MedtechAppointmentRules(validator);
    }

    @Test
    void theIgExampleIsBookedForItsPatient() {
        Appointment example = MedtechExamples.igExample();
        MedtechAppointmentRules.Booking booking = rules.checkCreation(example);
        assertThat(booking.booked().getStatus()).isEqualTo(AppointmentStatus.BOOKED);
        assertThat(booking.patientReference()).isEqualTo("Patient/example-patient");
        assertThat(example.getStatus()).as("the client's object is left alone").isEqualTo(AppointmentStatus.PROPOSED);
    }

    @Test
    void onlyProposedMayBeCreated() {
        for (AppointmentStatus status : List.of(AppointmentStatus.BOOKED, AppointmentStatus.PENDING, AppointmentStatus.CANCELLED)) {
            Appointment a = MedtechExamples.igExample().setStatus(status);
            assertThat(issues(() -> rules.checkCreation(a)))
                    .anySatisfy(i -> assertThat(i.diagnostics()).contains("must be 'proposed'").contains(status.toCode()));
        }
    }

    @Test
    void aMissingEndNamesApp3Once() {
        Appointment a = MedtechExamples.igExample();
        a.setEnd(null);
        List<Issue> issues = issues(() -> rules.checkCreation(a));
        assertThat(issues).hasSize(1);
        assertThat(issues.get(0).diagnostics()).contains("Appointment.end is required").contains("app-3");
        assertThat(issues.get(0).expression()).isEqualTo("Appointment.end");
    }

    @Test
    void aMissingStartIsRequired() {
        Appointment a = MedtechExamples.igExample();
        a.setStart(null);
        assertThat(issues(() -> rules.checkCreation(a)))
                .extracting(Issue::expression).contains("Appointment.start");
    }

    @Test
    void aPatientAndAPractitionerParticipantAreRequired() {
        Appointment noPatient = MedtechExamples.igExample();
        noPatient.getParticipant().remove(0);
        assertThat(issues(() -> rules.checkCreation(noPatient)))
                .anySatisfy(i -> assertThat(i.diagnostics()).contains("references a Patient"));
        Appointment noPractitioner = MedtechExamples.igExample();
        noPractitioner.getParticipant().remove(1);
        assertThat(issues(() -> rules.checkCreation(noPractitioner)))
                .anySatisfy(i -> assertThat(i.diagnostics()).contains("references a Practitioner"));
    }

    @Test
    void slotAndLocationAreOptional() {
        Appointment a = MedtechExamples.igExample();
        a.getSlot().clear();
        a.getParticipant().remove(2);
        assertThat(rules.checkCreation(a).patientReference()).isEqualTo("Patient/example-patient");
    }

    @Test
    void anIdIsRefused() {
        Appointment a = MedtechExamples.igExample();
        a.setId("chosen-by-client");
        assertThat(issues(() -> rules.checkCreation(a))).extracting(Issue::expression).containsExactly("Appointment.id");
    }

    @Test
    void twoPatientsAreRefused() {
        Appointment a = MedtechExamples.igExample();
        a.addParticipant().setStatus(Appointment.ParticipationStatus.ACCEPTED).getActor().setReference("Patient/other");
        assertThat(issues(() -> rules.checkCreation(a)))
                .anySatisfy(i -> assertThat(i.diagnostics()).contains("more than one patient"));
    }

    @Test
    void baseR4ValidationApplies() {
        Appointment a = MedtechExamples.igExample();
        a.getParticipant().get(0).setStatus(null); // participant.status is 1..1 in R4
        assertThat(issues(() -> rules.checkCreation(a)))
                .anySatisfy(i -> assertThat(i.expression()).contains("participant"));
    }

    @Test
    void aCancelMayChangeOnlyTheStatus() {
        Appointment current = stored();
        Appointment proposed = current.copy().setStatus(AppointmentStatus.CANCELLED);
        rules.checkCancellation(current, proposed);

        Appointment changed = current.copy().setStatus(AppointmentStatus.CANCELLED).setComment("moved");
        assertThat(issues(() -> rules.checkCancellation(current, changed)))
                .anySatisfy(i -> assertThat(i.diagnostics()).contains("Only status may change").contains("comment"));
    }

    @Test
    void aCancelMustSayCancelled() {
        Appointment current = stored();
        Appointment proposed = current.copy().setStatus(AppointmentStatus.NOSHOW);
        assertThat(issues(() -> rules.checkCancellation(current, proposed)))
                .anySatisfy(i -> assertThat(i.diagnostics()).contains("must be 'cancelled'"));
    }

    @Test
    void anAppointmentIsCancelledOnce() {
        Appointment current = stored().setStatus(AppointmentStatus.CANCELLED);
        Appointment proposed = current.copy();
        assertThat(issues(() -> rules.checkCancellation(current, proposed)))
                .anySatisfy(i -> assertThat(i.diagnostics()).contains("already cancelled"));
    }

    private static Appointment stored() {
        Appointment a = rules.checkCreation(MedtechExamples.igExample()).booked();
        a.setId("Appointment/abc/_history/1");
        a.getMeta().setVersionId("1");
        return a;
    }

    private static List<Issue> issues(Runnable check) {
        try {
            check.run();
        } catch (UnprocessableEntityException e) {
            return e.issues();
        }
        throw new AssertionError("expected a 422");
    }

}
