package uk.nhs.registry.format;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.hl7.fhir.dstu3.model.Appointment;
import org.hl7.fhir.dstu3.model.OperationOutcome;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import uk.nhs.registry.outcome.BadRequestException;
import uk.nhs.registry.outcome.Issue;
import uk.nhs.registry.outcome.OperationOutcomes;
import uk.nhs.registry.outcome.RegistryException;
import uk.nhs.registry.outcome.SpineCode;
import uk.nhs.registry.outcome.UnprocessableEntityException;
import uk.nhs.registry.testsupport.HostileBodies;
import uk.nhs.registry.testsupport.TestAppointments;

/** The shared parser reads a body exactly as written or refuses it (CONTRACT §2 "Strict input", "Bounded work"). */
class StrictInputTest {

    private final AppointmentParser parser = new AppointmentParser();

    @ParameterizedTest
    @ValueSource(strings = {"\\ud800", "\\udfff", "\\ud800x", "\\udc00\\ud800"})
    void aJsonEscapedLoneSurrogateIsA400(String escape) {
        String marker = HostileBodies.marker();
        assertRefused(HostileBodies.identifierEndingIn(marker, 1, escape), 400, "surrogate");
    }

    @Test
    void aSurrogatePairAndAPlainQuestionMarkAreReadAsWritten() {
        String marker = HostileBodies.marker();
        assertThat(identifier(parser.parse(HostileBodies.identifierEndingIn(marker, 1, "\\ud83d\\ude00"), FhirFormat.JSON)))
                .isEqualTo(marker + "\ud83d\ude00");
        assertThat(identifier(parser.parse(HostileBodies.identifierEndingIn(marker, 1, "?"), FhirFormat.JSON)))
                .isEqualTo(marker + "?");
    }

    @Test
    void aLoneSurrogateInAJavaStringIsA400() {
        // a feed's text message is a Java string, which can hold one without any escape
        assertRefused(HostileBodies.json(HostileBodies.marker() + "\ud800", 1), 400, "surrogate");
    }

    @Test
    void aDuplicateKeyIsA400() {
        assertRefused(HostileBodies.duplicateStatus(HostileBodies.marker(), 1), 400, "twice");
    }

    @Test
    void anArrayForASingleCodeIsA400() {
        assertRefused(HostileBodies.statusAsArray(HostileBodies.marker(), 1), 400, "'Appointment.status' must be a string");
    }

    @Test
    void aNumberForAStringIsA400() {
        assertRefused(HostileBodies.nhsNumberAsNumber(HostileBodies.marker(), 1), 400, "must be a string");
    }

    @Test
    void aSingleValueForARepeatingElementIsA400() {
        String json = HostileBodies.json(HostileBodies.marker(), 1);
        String single = json.replaceFirst("\"identifier\":\\[(\\{[^}]*\\})\\]", "\"identifier\":$1");
        assertThat(single).isNotEqualTo(json);
        assertRefused(single, 400, "must be an array");
    }

    @Test
    void aStringForABooleanAndNullForAValueAreA400() {
        String json = HostileBodies.json(HostileBodies.marker(), 1);
        assertRefused(json.replace("\"status\":\"booked\"", "\"status\":null"), 400, "is null");
        assertRefused(json.replace("{\"resourceType\":\"Appointment\",", "{\"resourceType\":\"Appointment\",\"priority\":\"1\","),
                400, "must be a JSON number");
    }

    @Test
    void deepNestingIsA400InTheRegistrysWords() {
        RegistryException refused = assertRefused(HostileBodies.nested(HostileBodies.marker(), 1, 10_000), 400, "nested");
        assertThat(refused.issues().get(0).diagnostics()).doesNotContain("StreamReadConstraints").doesNotContain("jackson");
    }

    @Test
    void trailingContentIsA400() {
        assertRefused(HostileBodies.json(HostileBodies.marker(), 1) + "{}", 400, "after the end");
    }

    @ParameterizedTest
    @ValueSource(chars = {'\u0007', '\u001b', '\u0000', '\u000f'})
    void aControlCharacterInAStringIsA422(char control) {
        assertRefused(HostileBodies.controlCharacterInIdentifier(HostileBodies.marker(), 1, control), 422, "control character");
    }

    @Test
    void tabCarriageReturnAndLineFeedAreAllowed() {
        String marker = HostileBodies.marker();
        assertThat(identifier(parser.parse(HostileBodies.identifierEndingIn(marker, 1, "\\t\\r\\n"), FhirFormat.JSON)))
                .isEqualTo(marker + "\t\r\n");
    }

    @Test
    void aControlCharacterInXmlIsRefused() {
        String xml = TestAppointments.xml(HostileBodies.appointment(HostileBodies.marker(), 1));
        String withBell = xml.replaceFirst("(<identifier><system value=\"[^\"]*\"/><value value=\"[^\"]*)\"", "$1&#x7;\"");
        assertThat(withBell).isNotEqualTo(xml);
        assertThatThrownBy(() -> parser.parse(withBell, FhirFormat.XML)).isInstanceOfAny(BadRequestException.class,
                UnprocessableEntityException.class);
    }

    @Test
    void thirtyThousandParticipantsAreA422BeforeValidation() {
        RegistryException refused = assertRefused(HostileBodies.participants(HostileBodies.marker(), 1, 30_000), 422,
                "Appointment.participant");
        assertThat(refused.issues()).hasSize(1);
        assertThat(refused.issues().get(0).type()).isEqualTo(OperationOutcome.IssueType.TOOCOSTLY);
    }

    @Test
    void oneHundredParticipantsAreStillRead() {
        assertThat(parser.parse(HostileBodies.participants(HostileBodies.marker(), 1, 99), FhirFormat.JSON).getParticipant())
                .hasSize(100);
    }

    @Test
    void nestedRepeatsThatMultiplyAreA422() {
        // 80 participants with 80 type codings each: each list is under the repeat limit, the whole is not small
        StringBuilder participants = new StringBuilder();
        String codings = ",{\"system\":\"urn:x\",\"code\":\"c\"}".repeat(80).substring(1);
        for (int i = 0; i < 80; i++) {
            participants.append(",{\"type\":[{\"coding\":[").append(codings).append("]}],\"status\":\"accepted\"}");
        }
        String json = HostileBodies.json(HostileBodies.marker(), 1);
        int end = json.lastIndexOf(']');
        assertRefused(json.substring(0, end) + participants + json.substring(end), 422, "elements");
    }

    @Test
    void theSameRulesHoldForXml() {
        Appointment appointment = HostileBodies.appointment(HostileBodies.marker(), 1);
        for (int i = 0; i < 200; i++) {
            appointment.addParticipant().setStatus(Appointment.ParticipationStatus.ACCEPTED);
        }
        assertThatThrownBy(() -> parser.parse(TestAppointments.xml(appointment), FhirFormat.XML))
                .isInstanceOf(UnprocessableEntityException.class).hasMessageContaining("Appointment.participant");
    }

    @Test
    void anOutcomeListsAtMostOneHundredIssuesAndSaysHowManyWereLeftOut() {
        List<Issue> issues = java.util.stream.IntStream.range(0, 30_000).mapToObj(i -> new Issue(
                OperationOutcome.IssueType.INVARIANT, SpineCode.INVALID_RESOURCE, "issue " + i)).toList();
        OperationOutcome outcome = OperationOutcomes.of(issues);
        assertThat(outcome.getIssue()).hasSize(OperationOutcomes.DEFAULT_MAX_ISSUES);
        assertThat(outcome.getIssue().get(98).getDiagnostics()).isEqualTo("issue 98");
        assertThat(outcome.getIssue().get(99).getDiagnostics()).contains("29901 more issues were left out");
    }

    private RegistryException assertRefused(String json, int status, String diagnosticsContain) {
        try {
            parser.parse(json, FhirFormat.JSON);
        } catch (RegistryException e) {
            assertThat(e.status()).as(e.issues().toString()).isEqualTo(status);
            assertThat(e.issues().get(0).diagnostics()).containsIgnoringCase(diagnosticsContain);
            return e;
        }
        throw new AssertionError("accepted: " + (json.length() > 300 ? json.substring(0, 300) : json));
    }

    private static String identifier(Appointment appointment) {
        return appointment.getIdentifierFirstRep().getValue();
    }
}
