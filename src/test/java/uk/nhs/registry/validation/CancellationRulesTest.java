package uk.nhs.registry.validation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.List;
import org.hl7.fhir.dstu3.model.Appointment;
import org.hl7.fhir.dstu3.model.Appointment.AppointmentStatus;
import org.hl7.fhir.dstu3.model.Appointment.ParticipationStatus;
import org.hl7.fhir.dstu3.model.OperationOutcome.IssueType;
import org.hl7.fhir.dstu3.model.Reference;
import org.hl7.fhir.dstu3.model.StringType;
import org.junit.jupiter.api.Test;
import uk.nhs.registry.outcome.Issue;
import uk.nhs.registry.outcome.SpineCode;
import uk.nhs.registry.outcome.UnprocessableEntityException;

class CancellationRulesTest {

    private final AppointmentRules rules = new AppointmentRules(Validators.shipped());

    @Test
    void cancelsWhenOnlyStatusChanged() {
        Appointment current = Appointments.registered();
        Appointment proposed = current.copy();
        proposed.setStatus(AppointmentStatus.CANCELLED);
        // What a client echoes back may carry other server-kept values; those are not changes.
        proposed.getMeta().getLastUpdatedElement().setValueAsString("2031-01-01T00:00:00Z");
        proposed.setIdElement(proposed.getIdElement().withResourceType("Appointment").withVersion("1"));
        assertThat(rules.checkCancellation(current, proposed)).isEqualTo("1234554321");
    }

    @Test
    void cancelsWhenTheClientDropsVersionMetadata() {
        Appointment current = Appointments.registered();
        Appointment proposed = current.copy();
        proposed.setStatus(AppointmentStatus.CANCELLED);
        proposed.getMeta().setVersionId(null).setLastUpdated(null);
        assertThat(rules.checkCancellation(current, proposed)).isEqualTo("1234554321");
    }

    @Test
    void rejectsAStatusOtherThanCancelled() {
        Appointment current = Appointments.registered();
        Appointment proposed = current.copy();
        proposed.setStatus(AppointmentStatus.NOSHOW);
        assertThat(issues(current, proposed)).singleElement().satisfies(issue -> {
            assertThat(issue.spineCode()).isEqualTo(SpineCode.INVALID_RESOURCE);
            assertThat(issue.type()).isEqualTo(IssueType.BUSINESSRULE);
            assertThat(issue.expression()).isEqualTo("Appointment.status");
            assertThat(issue.diagnostics()).isEqualTo("Appointment.status must be 'cancelled' to cancel; got 'noshow'");
        });
    }

    @Test
    void rejectsCancellingTwice() {
        Appointment current = Appointments.registered();
        current.setStatus(AppointmentStatus.CANCELLED);
        Appointment proposed = current.copy();
        assertThat(issues(current, proposed)).singleElement().satisfies(issue -> {
            assertThat(issue.expression()).isEqualTo("Appointment.status");
            assertThat(issue.diagnostics()).contains("already cancelled (version 1)");
        });
    }

    @Test
    void namesEveryChangedElement() {
        Appointment current = Appointments.registered();
        Appointment proposed = current.copy();
        proposed.setStatus(AppointmentStatus.CANCELLED);
        proposed.getStartElement().setValueAsString("2030-02-01T10:55:00+00:00");
        proposed.addParticipant().setActor(new Reference("https://directory.example.org/Practitioner/7"))
                .setStatus(ParticipationStatus.ACCEPTED);
        List<Issue> issues = issues(current, proposed);
        assertThat(issues).extracting(Issue::expression).containsExactly("Appointment.start", "Appointment.participant");
        assertThat(issues).allSatisfy(issue -> {
            assertThat(issue.spineCode()).isEqualTo(SpineCode.INVALID_RESOURCE);
            assertThat(issue.diagnostics())
                    .isEqualTo("Only status may change on cancel; these elements differ from version 1: start, participant");
        });
    }

    @Test
    void namesChangedMetadataButNotVersionFields() {
        Appointment current = Appointments.registered();
        Appointment proposed = current.copy();
        proposed.setStatus(AppointmentStatus.CANCELLED);
        proposed.getMeta().addTag("https://example.org/tags", "x", null);
        proposed.setComment("please call");
        assertThat(issues(current, proposed)).extracting(Issue::expression)
                .containsExactly("Appointment.meta", "Appointment.comment");
    }

    @Test
    void namesAnAddedExtension() {
        Appointment current = Appointments.registered();
        Appointment proposed = current.copy();
        proposed.setStatus(AppointmentStatus.CANCELLED);
        proposed.addExtension("https://fhir.example.org/StructureDefinition/Extension-Local-1", new StringType("x"));
        assertThat(issues(current, proposed)).extracting(Issue::expression).containsExactly("Appointment.extension");
    }

    @Test
    void validatesTheProposedVersionAgainstTheProfiles() {
        Appointment current = Appointments.registered();
        current.getParticipantFirstRep().setStatus(null); // stored before the rule existed
        Appointment proposed = current.copy();
        proposed.setStatus(AppointmentStatus.CANCELLED);
        assertThat(issues(current, proposed)).extracting(Issue::expression).containsExactly("Appointment.participant[0]");
    }

    private List<Issue> issues(Appointment current, Appointment proposed) {
        UnprocessableEntityException e = catchThrowableOfType(UnprocessableEntityException.class,
                () -> rules.checkCancellation(current, proposed));
        assertThat(e).as("rejected").isNotNull();
        return e.issues();
    }
}
