package uk.nhs.registry.validation;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.hl7.fhir.dstu3.model.OperationOutcome.IssueType;
import org.hl7.fhir.r4.model.Appointment;
import org.hl7.fhir.r4.model.Appointment.AppointmentParticipantComponent;
import org.hl7.fhir.r4.model.Appointment.AppointmentStatus;
import uk.nhs.registry.outcome.Issue;
import uk.nhs.registry.outcome.SpineCode;
import uk.nhs.registry.outcome.UnprocessableEntityException;

/**
 * The medTech flavour's rules (CONTRACT §7, seed 004: the medTech IG, FHIR R4) for creating and
 * cancelling an Appointment, in one place as {@link AppointmentRules} holds the NHS ones. Neither
 * flavour's rules apply to the other: no NHS number, no CareConnect profile and no Spine codes
 * here; no `proposed` status, no Patient/Practitioner references there.
 *
 * <p>Create: `status` must be `proposed` (the registry books it: stored as `booked`); `start`,
 * `end` (R4 invariant app-3 needs both once booked), a participant whose actor references a
 * Patient and one whose actor references a Practitioner are required; `slot`, a Location
 * participant and `identifier` are optional; an `id` is refused. Cancel: the stored version with
 * only `status` changed to `cancelled`. Base R4 Appointment validation applies to both. Every
 * finding is reported at once. What needs the store (duplicate identifiers, versions) or the HTTP
 * request (If-Match, URL id) is checked by those layers, not here.
 */
public final class MedtechAppointmentRules {

    /** A literal reference to a resource on this server, as the IG's participants carry them. */
    private static final Pattern PATIENT = Pattern.compile("Patient/([A-Za-z0-9\\-.]{1,64})");
    private static final Pattern PRACTITIONER = Pattern.compile("Practitioner/[A-Za-z0-9\\-.]{1,64}");
    /** The invariants a missing start or end breaks; reported once, by the registry's own rule. */
    private static final Set<String> START_END_INVARIANTS = Set.of("app-2", "app-3");
    private static final String APP_3 = "R4 invariant app-3: only proposed or cancelled appointments can be missing"
            + " start/end dates";

    private final R4ProfileValidator profiles;

    public MedtechAppointmentRules(R4ProfileValidator profiles) {
        this.profiles = profiles;
    }

    /** What an accepted create is stored as: the appointment as booked, and its patient reference. */
    public record Booking(Appointment booked, String patientReference) {
    }

    /**
     * Checks an Appointment offered for creation.
     *
     * @return the appointment as it is to be stored (a copy, `booked`) and its patient's reference
     * @throws UnprocessableEntityException with every finding, the medTech rules first
     */
    public Booking checkCreation(Appointment a) {
        List<Issue> issues = new ArrayList<>();
        if (a.hasIdElement() && a.getIdElement().hasIdPart()) {
            issues.add(rule(IssueType.INVALID, "Appointment.id must not be sent: the registry assigns the id; got '"
                    + a.getIdElement().getIdPart() + "'", "Appointment.id"));
        }
        if (!a.hasStatus()) {
            issues.add(rule(IssueType.REQUIRED, "Appointment.status is required and must be 'proposed' to create an"
                    + " appointment (the registry books it)", "Appointment.status"));
        } else if (a.getStatus() != AppointmentStatus.PROPOSED) {
            issues.add(rule(IssueType.BUSINESSRULE, "Appointment.status must be 'proposed' to create an appointment"
                    + " (the registry books it and stores it as 'booked'); got '" + a.getStatus().toCode() + "'",
                    "Appointment.status"));
        }
        boolean startOrEndMissing = false;
        if (!a.hasStart()) {
            startOrEndMissing = true;
            issues.add(rule(IssueType.REQUIRED, "Appointment.start is required: when the appointment starts, e.g."
                    + " 2030-01-31T09:30:00+13:00 (" + APP_3 + ")", "Appointment.start"));
        }
        if (!a.hasEnd()) {
            startOrEndMissing = true;
            issues.add(rule(IssueType.REQUIRED, "Appointment.end is required: the appointment is stored as booked, and "
                    + APP_3 + "; send when it ends, e.g. 2030-01-31T09:45:00+13:00", "Appointment.end"));
        }
        String patient = patient(issues, a);
        if (a.getParticipant().stream().noneMatch(p -> references(p, PRACTITIONER))) {
            issues.add(rule(IssueType.REQUIRED, "A participant whose actor references a Practitioner is required, e.g."
                    + " actor.reference 'Practitioner/{id}' (the id found by querying the Practitioner endpoint)",
                    "Appointment.participant"));
        }
        Appointment booked = a.copy();
        booked.setStatus(AppointmentStatus.BOOKED);
        // Validated as it will be stored (booked), so the invariants of a booked appointment apply.
        for (Issue finding : profiles.validate(booked)) {
            if (!(startOrEndMissing && START_END_INVARIANTS.contains(invariantOf(finding)))) {
                issues.add(finding);
            }
        }
        if (!issues.isEmpty()) {
            throw new UnprocessableEntityException(issues);
        }
        return new Booking(booked, patient);
    }

    /**
     * Checks a cancellation: the stored current version with only its status changed to cancelled.
     *
     * @param current  the stored current version
     * @param proposed the body offered as its replacement
     * @throws UnprocessableEntityException with every finding
     */
    public void checkCancellation(Appointment current, Appointment proposed) {
        List<Issue> issues = new ArrayList<>();
        if (proposed.getStatus() != AppointmentStatus.CANCELLED) {
            issues.add(rule(IssueType.BUSINESSRULE, "Appointment.status must be 'cancelled' to cancel; got "
                    + (proposed.hasStatus() ? "'" + proposed.getStatus().toCode() + "'" : "no status")
                    + " (only the status may change, and only to 'cancelled')", "Appointment.status"));
        }
        String version = current.getMeta().hasVersionId() ? current.getMeta().getVersionId()
                : current.getIdElement().getVersionIdPart();
        if (current.getStatus() == AppointmentStatus.CANCELLED) {
            issues.add(rule(IssueType.BUSINESSRULE, "Appointment " + current.getIdElement().getIdPart()
                    + " is already cancelled (version " + version + "); it cannot be cancelled again", "Appointment.status"));
        }
        List<String> differing = R4UnchangedExceptStatus.differingElements(current, proposed);
        String all = String.join(", ", differing);
        for (String element : differing) {
            issues.add(rule(IssueType.BUSINESSRULE, "Only status may change on cancel; these elements differ from version "
                    + version + ": " + all, "Appointment." + element));
        }
        issues.addAll(profiles.validate(proposed));
        if (!issues.isEmpty()) {
            throw new UnprocessableEntityException(issues);
        }
    }

    /** The patient's reference, {@code Patient/{id}}, or null with the reason added to issues. */
    private static String patient(List<Issue> issues, Appointment a) {
        Set<String> patients = new LinkedHashSet<>();
        for (int i = 0; i < a.getParticipant().size(); i++) {
            AppointmentParticipantComponent participant = a.getParticipant().get(i);
            String reference = participant.getActor().getReference();
            if (reference == null) {
                continue;
            }
            Matcher matcher = PATIENT.matcher(reference);
            if (matcher.matches()) {
                patients.add(reference);
            } else if (reference.contains("Patient/")) {
                issues.add(rule(IssueType.VALUE, "A Patient participant's actor.reference must be 'Patient/{id}', the id"
                        + " found by querying the Patient endpoint; got '" + reference + "'",
                        "Appointment.participant[" + i + "].actor.reference"));
            }
        }
        if (patients.isEmpty()) {
            issues.add(rule(IssueType.REQUIRED, "A participant whose actor references a Patient is required, e.g."
                    + " actor.reference 'Patient/{id}' (the id found by querying the Patient endpoint)",
                    "Appointment.participant"));
            return null;
        }
        if (patients.size() > 1) {
            issues.add(rule(IssueType.BUSINESSRULE, "The appointment references more than one patient (" + String.join(", ", patients)
                    + "); an appointment is for exactly one patient", "Appointment.participant"));
        }
        return patients.iterator().next();
    }

    private static boolean references(AppointmentParticipantComponent participant, Pattern type) {
        String reference = participant.getActor().getReference();
        return reference != null && type.matcher(reference).matches();
    }

    /** The invariant key a validation finding names ("app-3: ..."), or null. */
    private static String invariantOf(Issue finding) {
        if (finding.type() != IssueType.INVARIANT) {
            return null;
        }
        int colon = finding.diagnostics().indexOf(':');
        return colon < 0 ? null : finding.diagnostics().substring(0, colon).trim();
    }

    private static Issue rule(IssueType type, String diagnostics, String expression) {
        return new Issue(type, SpineCode.INVALID_RESOURCE, diagnostics, expression);
    }
}
