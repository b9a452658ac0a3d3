package uk.nhs.registry.validation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import ca.uhn.fhir.parser.LenientErrorHandler;
import org.hl7.fhir.dstu3.model.Appointment;
import org.hl7.fhir.dstu3.model.Appointment.AppointmentStatus;
import org.hl7.fhir.dstu3.model.Appointment.ParticipationStatus;
import org.hl7.fhir.dstu3.model.CodeableConcept;
import org.hl7.fhir.dstu3.model.Coding;
import org.hl7.fhir.dstu3.model.Identifier;
import org.hl7.fhir.dstu3.model.Patient;
import org.hl7.fhir.dstu3.model.Reference;
import org.hl7.fhir.dstu3.model.StringType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import uk.nhs.registry.Fhir;
import uk.nhs.registry.outcome.Issue;
import uk.nhs.registry.outcome.SpineCode;
import uk.nhs.registry.outcome.UnprocessableEntityException;

class AppointmentRulesTest {

    private final AppointmentRules rules = new AppointmentRules(Validators.shipped());

    static Stream<Arguments> accepted() {
        return Stream.of(
                row("the seed example with end and participant status", a -> { }),
                row("patient named by national service reference", a -> a.getParticipantFirstRep()
                        .setActor(new Reference("https://demographics.spineservices.nhs.uk/Patient/1234554321"))),
                row("a meta.profile the registry does not hold", a -> a.getMeta()
                        .addProfile("https://fhir.example.org/StructureDefinition/Unheld-Appointment-1")),
                row("no meta.profile at all", a -> a.getMeta().getProfile().clear()),
                row("terminology the registry cannot check", a -> {
                    a.addReason(new CodeableConcept(new Coding("http://snomed.info/sct", "17436001",
                            "Medical consultation with outpatient")));
                    a.addServiceType(new CodeableConcept(new Coding("https://fhir.nhs.uk/STU3/CodeSystem/Unheld-1", "x", null)));
                }),
                row("an extension the registry has no definition for", a -> a.addExtension(
                        "https://fhir.example.org/StructureDefinition/Extension-Local-1", new StringType("local"))),
                row("further participants besides the patient", a -> a.addParticipant()
                        .setActor(new Reference("https://directory.example.org/Practitioner/1"))
                        .setStatus(ParticipationStatus.ACCEPTED)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("accepted")
    void registers(String name, Consumer<Appointment> change) {
        Appointment a = Appointments.valid();
        change.accept(a);
        assertThat(rules.checkRegistration(a)).isEqualTo("1234554321");
    }

    static Stream<Arguments> rejected() {
        return Stream.of(
                row("client-assigned id", a -> a.setId("abc"), SpineCode.MSG_RESOURCE_ID_FAIL, "Appointment.id"),
                row("contained resource", a -> a.addContained(new Patient().setActive(true)), SpineCode.INVALID_RESOURCE, "Appointment.contained"),
                row("supportingInformation", a -> a.addSupportingInformation(new Reference("https://example.org/Observation/1")),
                        SpineCode.INVALID_RESOURCE, "Appointment.supportingInformation"),
                row("description", a -> a.setDescription("Check-up"), SpineCode.INVALID_RESOURCE, "Appointment.description"),
                row("slot", a -> a.addSlot(new Reference("https://example.org/Slot/1")), SpineCode.INVALID_RESOURCE,
                        "Appointment.slot"),
                row("status pending", a -> a.setStatus(AppointmentStatus.PENDING), SpineCode.INVALID_RESOURCE,
                        "Appointment.status"),
                row("no status", a -> a.setStatus(null), SpineCode.INVALID_RESOURCE, "Appointment.status"),
                row("no start", a -> a.setStartElement(null), SpineCode.INVALID_RESOURCE, "Appointment.start"),
                row("start a date, not an instant", a -> a.getStartElement().setValueAsString("2030-02-01"),
                        SpineCode.INVALID_RESOURCE, "Appointment.start"),
                row("start without seconds and zone", a -> a.getStartElement().setValueAsString("2030-02-01T10:51"),
                        SpineCode.INVALID_RESOURCE, "Appointment.start"),
                row("no created", a -> a.setCreatedElement(null), SpineCode.INVALID_RESOURCE, "Appointment.created"),
                row("no participant names the patient", a -> a.getParticipantFirstRep().getActor().getIdentifier()
                        .setSystem("https://fhir.nhs.uk/Id/sds-user-id"), SpineCode.INVALID_RESOURCE, "Appointment.participant"),
                row("NHS number failing the check digit", a -> a.getParticipantFirstRep().getActor().getIdentifier()
                        .setValue("1234554322"), SpineCode.INVALID_NHS_NUMBER, "Appointment.participant[0].actor.identifier.value"),
                row("NHS number in a reference failing the check digit", a -> a.getParticipantFirstRep()
                        .setActor(new Reference("https://demographics.spineservices.nhs.uk/Patient/1234567890")),
                        SpineCode.INVALID_NHS_NUMBER, "Appointment.participant[0].actor.reference"),
                row("no identifier", a -> a.getIdentifier().clear(), SpineCode.INVALID_RESOURCE, "Appointment.identifier"),
                row("identifier without system", a -> a.getIdentifierFirstRep().setSystem(null), SpineCode.INVALID_RESOURCE,
                        "Appointment.identifier"),
                row("participant.status missing (STU3 1..1)", a -> a.getParticipantFirstRep().setStatus(null),
                        SpineCode.INVALID_RESOURCE, "Appointment.participant[0]"),
                row("no end on a booked appointment (app-2, app-3)", a -> a.setEndElement(null),
                        SpineCode.INVALID_RESOURCE, "Appointment"),
                row("participant with neither type nor actor (app-1)", a -> a.addParticipant()
                        .setStatus(ParticipationStatus.ACCEPTED), SpineCode.INVALID_RESOURCE, "Appointment.participant[1]"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rejected")
    void rejects(String name, Consumer<Appointment> change, SpineCode code, String expression) {
        Appointment a = Appointments.valid();
        change.accept(a);
        UnprocessableEntityException e = catchThrowableOfType(UnprocessableEntityException.class,
                () -> rules.checkRegistration(a));
        assertThat(e).as("rejected").isNotNull();
        assertThat(e.status()).isEqualTo(422);
        assertThat(e.issues()).as(name).anySatisfy(issue -> {
            assertThat(issue.spineCode()).isEqualTo(code);
            assertThat(issue.expression()).isEqualTo(expression);
            assertThat(issue.diagnostics()).isNotBlank();
        });
        assertThat(e.issues()).allSatisfy(issue -> assertThat(issue.expression()).isNotBlank());
    }

    @Test
    void statusMessageSaysWhatWasExpectedAndWhatCame() {
        Appointment a = Appointments.valid();
        a.setStatus(AppointmentStatus.PENDING);
        assertThat(issues(a)).extracting(Issue::diagnostics)
                .contains("Appointment.status must be 'booked' to register; got 'pending'");
    }

    @Test
    void endIsAcceptedAndItsAbsenceNamesTheInvariant() {
        assertThat(rules.checkRegistration(Appointments.valid())).isEqualTo("1234554321");

        Appointment withoutEnd = Appointments.valid();
        withoutEnd.setEndElement(null);
        assertThat(issues(withoutEnd)).extracting(Issue::diagnostics)
                .contains("app-3: Only proposed or cancelled appointments can be missing start/end dates");
    }

    @Test
    void participantStatusIsRequired() {
        Appointment a = Appointments.valid();
        a.getParticipantFirstRep().setStatus(null);
        assertThat(issues(a)).singleElement().satisfies(issue -> {
            assertThat(issue.diagnostics()).startsWith("Appointment.participant.status is required");
            assertThat(issue.expression()).isEqualTo("Appointment.participant[0]");
        });
    }

    @Test
    void reportsEveryFindingAtOnce() {
        Appointment a = Appointments.valid();
        a.setId("abc");
        a.setStatus(AppointmentStatus.PENDING);
        a.getParticipantFirstRep().getActor().getIdentifier().setValue("1234554322");
        a.setEndElement(null);
        assertThat(issues(a)).extracting(Issue::expression).contains(
                "Appointment.id", "Appointment.status", "Appointment.participant[0].actor.identifier.value", "Appointment");
    }

    @Test
    void anUnreadableStartIsNamedOnce() {
        // The shared context's parser refuses such a body outright (a 400 before any rule runs); a
        // parser told to carry on keeps the text without a date, which must still not get through.
        String json = Appointments.VALID.replace("2030-02-01T10:51:23.620+00:00", "next tuesday");
        Appointment a = Fhir.context().newJsonParser()
                .setParserErrorHandler(new LenientErrorHandler(false).setErrorOnInvalidValue(false))
                .parseResource(Appointment.class, json);
        assertThat(issues(a)).filteredOn(issue -> "Appointment.start".equals(issue.expression())).singleElement()
                .satisfies(issue -> assertThat(issue.diagnostics()).startsWith("Appointment.start must be a FHIR instant")
                        .endsWith("got 'next tuesday'"));
    }

    @Test
    void moreThanOnePatientIsRejected() {
        Appointment a = Appointments.valid();
        a.addParticipant().setStatus(ParticipationStatus.ACCEPTED).setActor(new Reference().setIdentifier(
                new Identifier().setSystem(PatientIdentity.NHS_NUMBER_SYSTEM).setValue("9434765919")));
        assertThat(issues(a)).extracting(Issue::expression).containsExactly("Appointment.participant");
    }

    private List<Issue> issues(Appointment a) {
        UnprocessableEntityException e = catchThrowableOfType(UnprocessableEntityException.class,
                () -> rules.checkRegistration(a));
        assertThat(e).as("rejected").isNotNull();
        return e.issues();
    }

    private static Arguments row(String name, Consumer<Appointment> change) {
        return Arguments.of(name, change);
    }

    private static Arguments row(String name, Consumer<Appointment> change, SpineCode code, String expression) {
        return Arguments.of(name, change, code, expression);
    }
}
