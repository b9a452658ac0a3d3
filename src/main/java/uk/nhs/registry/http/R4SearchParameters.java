package uk.nhs.registry.http;

import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.hl7.fhir.dstu3.model.OperationOutcome.IssueType;
import org.hl7.fhir.exceptions.FHIRException;
import org.hl7.fhir.r4.model.Appointment.AppointmentStatus;
import uk.nhs.registry.appointments.MedtechAppointments;
import uk.nhs.registry.outcome.BadRequestException;
import uk.nhs.registry.outcome.ClientText;
import uk.nhs.registry.outcome.SpineCode;
import uk.nhs.registry.store.AppointmentQuery;

/**
 * The medTech flavour's search (CONTRACT §7): a patient's appointments, `patient=Patient/{id}` (or
 * `patient={id}`, `actor=Patient/{id}`), optionally narrowed by `date` (as STU3's, on start),
 * `status` (an R4 Appointment status) and `practitioner`. Every match, with no implicit date
 * filter. As for STU3 every parameter is checked: an unknown one or a malformed value is a 400, and
 * so is a search without a patient, since a consumer that believes it filtered by patient must
 * never receive everybody's appointments.
 */
public final class R4SearchParameters {

    private static final String ID = "[A-Za-z0-9\\-.]{1,64}";
    private static final Pattern PATIENT = Pattern.compile("(?:Patient/)?(" + ID + ")");
    private static final Pattern PATIENT_ACTOR = Pattern.compile("Patient/(" + ID + ")");
    private static final Pattern PRACTITIONER = Pattern.compile("(?:Practitioner/)?(" + ID + ")");

    /** Reads the date parameter exactly as STU3 does; only the zone of a bare date differs. */
    private final SearchParameters dates;

    /** @param dateZone the zone a date without a time (`date=ge2025-06-01`) is read in */
    public R4SearchParameters(ZoneId dateZone) {
        this.dates = new SearchParameters(dateZone);
    }

    MedtechAppointments.Search parse(QueryString query) {
        String patient = null;
        String status = null;
        String practitioner = null;
        Long from = null;
        Long before = null;
        for (Map.Entry<String, List<String>> parameter : query.parameters().entrySet()) {
            String name = parameter.getKey();
            if (name.equals("_format")) {
                continue;
            }
            if (name.equals("date")) {
                long[] range = dates.dateRanges(parameter.getValue());
                from = range[0];
                before = range[1];
                continue;
            }
            String value = query.single(name);
            if (value.isBlank()) {
                throw invalid("Parameter '" + name + "' has no value.");
            }
            switch (name) {
                case "patient", "actor" -> {
                    String candidate = "Patient/" + id(name, value, name.equals("patient") ? PATIENT : PATIENT_ACTOR,
                            name.equals("patient") ? "Patient/{id} or {id}" : "Patient/{id}");
                    if (patient != null && !patient.equals(candidate)) {
                        throw invalid("Only one patient may be searched for at a time.");
                    }
                    patient = candidate;
                }
                case "status" -> status = status(value);
                case "practitioner" -> practitioner = "Practitioner/" + id(name, value, PRACTITIONER, "Practitioner/{id} or {id}");
                default -> throw invalid("Unknown search parameter '" + ClientText.quote(name) + "'. Supported: patient"
                        + " (or actor=Patient/{id}), date, status, practitioner, _format.");
            }
        }
        if (patient == null) {
            throw invalid("A search must name the patient: patient=Patient/{id} (or patient={id}, actor=Patient/{id}).");
        }
        AppointmentQuery storeQuery = new AppointmentQuery(null, null, null, status,
                from == null || from == Long.MIN_VALUE ? null : from,
                before == null || before == Long.MAX_VALUE ? null : before, patient);
        return new MedtechAppointments.Search(storeQuery, practitioner);
    }

    private static String id(String name, String value, Pattern pattern, String form) {
        Matcher m = pattern.matcher(value);
        if (!m.matches()) {
            throw invalid("Parameter '" + name + "' takes " + form + " (an id is 1 to 64 characters of A-Z, a-z, 0-9,"
                    + " '-' and '.'); got '" + ClientText.quote(value) + "'.");
        }
        return m.group(1);
    }

    private static String status(String value) {
        try {
            return AppointmentStatus.fromCode(value).toCode();
        } catch (FHIRException | IllegalArgumentException e) {
            throw invalid("'" + ClientText.quote(value) + "' is not an R4 Appointment status (proposed, pending, booked,"
                    + " arrived, fulfilled, cancelled, noshow, entered-in-error, checked-in, waitlist).");
        }
    }

    private static BadRequestException invalid(String diagnostics) {
        return new BadRequestException(IssueType.INVALID, SpineCode.INVALID_PARAMETER, diagnostics);
    }
}
