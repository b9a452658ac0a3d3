package uk.nhs.registry.validation;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.hl7.fhir.dstu3.model.Appointment;
import org.hl7.fhir.dstu3.model.Appointment.AppointmentParticipantComponent;
import org.hl7.fhir.dstu3.model.Reference;

/**
 * Where an Appointment names its patient by NHS number: the registry is indexed by it.
 *
 * <p>A participant names the patient when its actor carries an identifier in the NHS number system,
 * or when its actor reference is a national-service URL ending in {@code /Patient/{nhsNumber}}
 * (FHIR-NAT-01, e.g. {@code https://demographics.spineservices.nhs.uk/Patient/9434765919}).
 * "National service" is read as: absolute {@code https} URL whose host is {@code nhs.uk} or ends in
 * {@code .nhs.uk}. National services all live under that domain, and requiring it keeps an arbitrary
 * server's {@code /Patient/123} from being mistaken for an NHS number. Relative references
 * ({@code Patient/123}) are local ids, not NHS numbers, and are ignored.
 *
 * <p>The value found is returned as written, valid or not: whether it passes the check digit is
 * a rule ({@link AppointmentRules}), and the rule needs to know the patient was named at all.
 */
public record PatientIdentity(String nhsNumber, String expression) {

    public static final String NHS_NUMBER_SYSTEM = "https://fhir.nhs.uk/Id/nhs-number";

    private static final Pattern PATIENT_PATH = Pattern.compile(".*/Patient/([^/]+)$");

    public boolean valid() {
        return NhsNumber.isValid(nhsNumber);
    }

    /** Every participant that names a patient by NHS number, in document order. */
    public static List<PatientIdentity> all(Appointment appointment) {
        List<PatientIdentity> found = new ArrayList<>();
        List<AppointmentParticipantComponent> participants = appointment.getParticipant();
        for (int i = 0; i < participants.size(); i++) {
            Reference actor = participants.get(i).getActor();
            String at = "Appointment.participant[" + i + "].actor";
            if (actor.hasIdentifier() && NHS_NUMBER_SYSTEM.equals(actor.getIdentifier().getSystem())) {
                found.add(new PatientIdentity(actor.getIdentifier().getValue(), at + ".identifier.value"));
            } else if (actor.hasReference()) {
                String nhsNumber = fromNationalServiceUrl(actor.getReference());
                if (nhsNumber != null) {
                    found.add(new PatientIdentity(nhsNumber, at + ".reference"));
                }
            }
        }
        return found;
    }

    static String fromNationalServiceUrl(String reference) {
        URI uri;
        try {
            uri = new URI(reference);
        } catch (URISyntaxException e) {
            return null;
        }
        String host = uri.getHost() == null ? "" : uri.getHost().toLowerCase(Locale.ROOT);
        if (!"https".equalsIgnoreCase(uri.getScheme()) || !(host.equals("nhs.uk") || host.endsWith(".nhs.uk"))
                || uri.getRawQuery() != null || uri.getRawFragment() != null || uri.getPath() == null) {
            return null;
        }
        Matcher m = PATIENT_PATH.matcher(uri.getPath());
        return m.matches() ? m.group(1) : null;
    }
}
