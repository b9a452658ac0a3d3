package uk.nhs.registry.validation;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.hl7.fhir.dstu3.model.Appointment;
import org.hl7.fhir.dstu3.model.Appointment.AppointmentStatus;
import org.hl7.fhir.dstu3.model.Identifier;
import org.hl7.fhir.dstu3.model.OperationOutcome.IssueType;
import uk.nhs.registry.outcome.Issue;
import uk.nhs.registry.outcome.SpineCode;
import uk.nhs.registry.outcome.UnprocessableEntityException;

/**
 * The registry's business rules for registering and cancelling an Appointment (CONTRACT §1), kept
 * in one place so the HTTP API and the message feed cannot drift apart.
 *
 * <p>Every check runs and every finding is reported at once, so a provider fixes a rejected
 * appointment in one round trip. What needs the store (duplicate identifiers, versions) or the
 * HTTP request (If-Match, URL id) is checked by those layers, not here.
 */
public final class AppointmentRules {

    /** FHIR instant: full date and time to the second, with a time zone (STU3 datatypes). */
    private static final Pattern INSTANT = Pattern.compile(
            "-?[0-9]{4}-(0[1-9]|1[0-2])-(0[0-9]|[1-2][0-9]|3[0-1])T([01][0-9]|2[0-3]):[0-5][0-9]:([0-5][0-9]|60)"
                    + "(\\.[0-9]+)?(Z|([+\\-])((0[0-9]|1[0-3]):[0-5][0-9]|14:00))");

    private static final String INSTANT_EXAMPLE = "e.g. 2030-01-31T09:30:00+00:00";

    private final ProfileValidator profiles;

    public AppointmentRules(ProfileValidator profiles) {
        this.profiles = profiles;
    }

    /**
     * Checks an Appointment offered for registration.
     *
     * @return the NHS number of the patient the appointment is for
     * @throws UnprocessableEntityException with every finding, registry rules first
     */
    public String checkRegistration(Appointment a) {
        List<Issue> issues = new ArrayList<>();
        if (a.hasIdElement() && a.getIdElement().hasIdPart()) {
            issues.add(new Issue(IssueType.INVALID, SpineCode.MSG_RESOURCE_ID_FAIL,
                    "Appointment.id must not be sent: the registry assigns the id; got '" + a.getIdElement().getIdPart() + "'",
                    "Appointment.id"));
        }
        forbid(issues, a.hasContained(), "contained", "no other resources may be contained in a registered appointment");
        forbid(issues, a.hasSupportingInformation(), "supportingInformation", "the registry holds no supporting information");
        forbid(issues, a.hasDescription(), "description", "the registry holds no description");
        forbid(issues, a.hasSlot(), "slot", "the slot is the provider system's business, not the registry's");

        if (!a.hasStatus()) {
            issues.add(rule(IssueType.REQUIRED, "Appointment.status is required and must be 'booked' to register",
                    "Appointment.status"));
        } else if (a.getStatus() != AppointmentStatus.BOOKED) {
            issues.add(rule(IssueType.BUSINESSRULE, "Appointment.status must be 'booked' to register; got '"
                    + a.getStatus().toCode() + "'", "Appointment.status"));
        }
        checkStart(issues, a);
        if (!a.hasCreated()) {
            issues.add(rule(IssueType.REQUIRED, "Appointment.created is required: when the appointment was booked, "
                    + INSTANT_EXAMPLE, "Appointment.created"));
        }
        if (a.getIdentifier().stream().noneMatch(AppointmentRules::complete)) {
            issues.add(rule(IssueType.REQUIRED, "Appointment.identifier with both system and value is required: it is"
                    + " the registry's pointer to the appointment held by the provider system", "Appointment.identifier"));
        }
        String nhsNumber = patient(issues, a);
        addProfileFindings(issues, a);
        if (!issues.isEmpty()) {
            throw new UnprocessableEntityException(issues);
        }
        return nhsNumber;
    }

    /**
     * Checks a cancellation: the stored current version with only its status changed to cancelled.
     *
     * @param current  the stored current version
     * @param proposed the body offered as its replacement
     * @return the NHS number of the patient the appointment is for
     * @throws UnprocessableEntityException with every finding
     */
    public String checkCancellation(Appointment current, Appointment proposed) {
        List<Issue> issues = new ArrayList<>();
        if (proposed.getStatus() != AppointmentStatus.CANCELLED) {
            issues.add(rule(IssueType.BUSINESSRULE, "Appointment.status must be 'cancelled' to cancel; got "
                    + (proposed.hasStatus() ? "'" + proposed.getStatus().toCode() + "'" : "no status"), "Appointment.status"));
        }
        String version = current.getMeta().hasVersionId() ? current.getMeta().getVersionId()
                : current.getIdElement().getVersionIdPart();
        if (current.getStatus() == AppointmentStatus.CANCELLED) {
            issues.add(rule(IssueType.BUSINESSRULE, "Appointment " + current.getIdElement().getIdPart()
                    + " is already cancelled (version " + version + "); it cannot be cancelled again", "Appointment.status"));
        }
        List<String> differing = UnchangedExceptStatus.differingElements(current, proposed);
        String all = String.join(", ", differing);
        for (String element : differing) {
            issues.add(rule(IssueType.BUSINESSRULE, "Only status may change on cancel; these elements differ from version "
                    + version + ": " + all, "Appointment." + element));
        }
        String nhsNumber = patient(issues, proposed);
        addProfileFindings(issues, proposed);
        if (!issues.isEmpty()) {
            throw new UnprocessableEntityException(issues);
        }
        return nhsNumber;
    }

    /**
     * Profile findings after the registry's own. Where a rule already said a value is wrong, the
     * validator's terser report of the same value is left out: one fault, one issue.
     */
    private void addProfileFindings(List<Issue> issues, Appointment a) {
        Set<String> valuesReported = new HashSet<>();
        issues.stream().filter(i -> i.type() == IssueType.VALUE).forEach(i -> valuesReported.add(i.expression()));
        for (Issue finding : profiles.validate(a)) {
            if (!(finding.type() == IssueType.VALUE && valuesReported.contains(finding.expression()))) {
                issues.add(finding);
            }
        }
    }

    private static void forbid(List<Issue> issues, boolean present, String element, String why) {
        if (present) {
            issues.add(rule(IssueType.BUSINESSRULE, "Appointment." + element + " must not be sent to the registry ("
                    + why + "); remove it", "Appointment." + element));
        }
    }

    /**
     * HAPI keeps the text of a date it could parse, so a bare date ("2030-01-31") arrives with a
     * value and needs the instant pattern; text it could not parse at all arrives as no value.
     */
    private static void checkStart(List<Issue> issues, Appointment a) {
        if (!a.hasStart()) {
            issues.add(rule(IssueType.REQUIRED, "Appointment.start is required: when the appointment starts, as a FHIR instant, "
                    + INSTANT_EXAMPLE + " (a value that is not a date and time is read as missing)", "Appointment.start"));
        } else if (!INSTANT.matcher(a.getStartElement().getValueAsString()).matches()) {
            issues.add(rule(IssueType.VALUE, "Appointment.start must be a FHIR instant, a date and time to the second"
                    + " with a time zone (" + INSTANT_EXAMPLE + "); got '" + a.getStartElement().getValueAsString() + "'",
                    "Appointment.start"));
        }
    }

    private static boolean complete(Identifier identifier) {
        return identifier.hasSystem() && identifier.hasValue() && !identifier.getValue().isBlank();
    }

    /** The patient's NHS number, or null with the reason added to issues. */
    private static String patient(List<Issue> issues, Appointment a) {
        List<PatientIdentity> named = PatientIdentity.all(a);
        if (named.isEmpty()) {
            issues.add(rule(IssueType.REQUIRED, "No participant names the patient by NHS number: add a participant whose"
                    + " actor.identifier has system '" + PatientIdentity.NHS_NUMBER_SYSTEM + "' and the NHS number as"
                    + " value, or whose actor.reference is a national service URL such as"
                    + " https://demographics.spineservices.nhs.uk/Patient/{nhsNumber}", "Appointment.participant"));
            return null;
        }
        Set<String> valid = new LinkedHashSet<>();
        for (PatientIdentity p : named) {
            if (p.valid()) {
                valid.add(p.nhsNumber());
            } else {
                issues.add(new Issue(IssueType.VALUE, SpineCode.INVALID_NHS_NUMBER, (p.nhsNumber() == null
                        ? "The patient's NHS number is empty"
                        : "'" + p.nhsNumber() + "' is not a valid NHS number")
                        + ": it must be 10 digits, the last a modulus-11 check digit", p.expression()));
            }
        }
        if (valid.size() > 1) {
            issues.add(rule(IssueType.BUSINESSRULE, "The appointment names more than one patient by NHS number; a"
                    + " registered appointment is for exactly one patient", "Appointment.participant"));
        }
        return valid.isEmpty() ? null : valid.iterator().next();
    }

    private static Issue rule(IssueType type, String diagnostics, String expression) {
        return new Issue(type, SpineCode.INVALID_RESOURCE, diagnostics, expression);
    }
}
