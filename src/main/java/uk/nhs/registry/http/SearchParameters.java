package uk.nhs.registry.http;

import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.YearMonth;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.hl7.fhir.dstu3.model.Appointment.AppointmentStatus;
import org.hl7.fhir.dstu3.model.OperationOutcome.IssueType;
import org.hl7.fhir.exceptions.FHIRException;
import uk.nhs.registry.outcome.ClientText;
import uk.nhs.registry.outcome.BadRequestException;
import uk.nhs.registry.outcome.SpineCode;
import uk.nhs.registry.store.AppointmentQuery;
import uk.nhs.registry.validation.NhsNumber;
import uk.nhs.registry.validation.PatientIdentity;

/**
 * Turns the search parameters of CONTRACT §1 into a store query. Every parameter is checked:
 * an unknown one or a malformed value is a 400, never silently ignored, because a consumer that
 * believes it filtered by patient must not receive everybody's appointments.
 */
public final class SearchParameters {

    private static final Set<String> PATIENT = Set.of("patient.identifier", "patient:identifier",
            "actor:Patient.identifier", "Appointment.participant.actor:Patient.identifier");
    private static final Pattern DATE = Pattern.compile("(eq|ge|gt|le|lt)?(\\d{4}(-\\d{2}(-\\d{2}(T.+)?)?)?)");
    /** A dateTime whose zone offset lost its '+' on the way (see {@link #unencodedPlus}). */
    private static final Pattern SPACE_FOR_PLUS = Pattern.compile("(.*T\\d{2}:\\d{2}(?::\\d{2}(?:\\.\\d+)?)?) (\\d{2}:\\d{2})");
    private static final String TIME_HINT = "a time needs seconds and a zone, e.g. ge2025-06-01T09:00:00Z or"
            + " ge2025-06-01T09:00:00%2B01:00 (a '+' in a URL must be sent as %2B).";

    private final ZoneId dateZone;

    /** @param dateZone the zone a date without a time (`date=ge2025-06-01`) is read in */
    public SearchParameters(ZoneId dateZone) {
        this.dateZone = dateZone;
    }

    AppointmentQuery parse(QueryString query, Instant now) {
        String nhsNumber = null;
        String identifierSystem = null;
        String identifierValue = null;
        String status = null;
        Long from = null;
        Long before = null;
        boolean dated = false;
        for (Map.Entry<String, List<String>> parameter : query.parameters().entrySet()) {
            String name = parameter.getKey();
            if (name.equals("_format")) {
                continue;
            }
            if (name.equals("date")) {
                dated = true;
                long[] range = dateRanges(parameter.getValue());
                from = range[0];
                before = range[1];
                continue;
            }
            String value = query.single(name);
            if (value.isBlank()) {
                throw invalid("Parameter '" + name + "' has no value.");
            }
            if (PATIENT.contains(name)) {
                String candidate = patientNhsNumber(name, value);
                if (nhsNumber != null && !nhsNumber.equals(candidate)) {
                    throw invalid("Only one patient may be searched for at a time.");
                }
                nhsNumber = candidate;
            } else if (name.equals("identifier")) {
                String[] token = token(name, value);
                identifierSystem = token[0];
                identifierValue = token[1];
            } else if (name.equals("status")) {
                status = status(value);
            } else {
                throw invalid("Unknown search parameter '" + ClientText.quote(name) + "'. Supported: patient.identifier (or patient:identifier,"
                        + " actor:Patient.identifier, Appointment.participant.actor:Patient.identifier), identifier, status, date, _format.");
            }
        }
        if (nhsNumber == null && identifierValue == null) {
            throw invalid("A search must name the patient (patient.identifier=" + PatientIdentity.NHS_NUMBER_SYSTEM
                    + "|{nhsNumber}) or the appointment (identifier={system}|{value}).");
        }
        if (!dated) {
            // Without a date the consumer asks for what is still to come.
            from = now.toEpochMilli();
        }
        return new AppointmentQuery(nhsNumber, identifierSystem, identifierValue, status,
                from == null || from == Long.MIN_VALUE ? null : from, before == null || before == Long.MAX_VALUE ? null : before);
    }

    private static String patientNhsNumber(String name, String value) {
        String[] token = token(name, value);
        if (!PatientIdentity.NHS_NUMBER_SYSTEM.equals(token[0])) {
            throw new BadRequestException(IssueType.INVALID, SpineCode.INVALID_IDENTIFIER_SYSTEM,
                    "Parameter '" + name + "' takes " + PatientIdentity.NHS_NUMBER_SYSTEM + "|{nhsNumber}; got system '" + ClientText.quote(token[0]) + "'.");
        }
        if (!NhsNumber.isValid(token[1])) {
            throw new BadRequestException(IssueType.INVALID, SpineCode.INVALID_NHS_NUMBER,
                    "'" + ClientText.quote(token[1]) + "' is not a valid NHS number (10 digits with a modulus-11 check digit).");
        }
        return token[1];
    }

    private static String[] token(String name, String value) {
        int bar = value.indexOf('|');
        if (bar <= 0 || bar == value.length() - 1 || value.indexOf('|', bar + 1) >= 0) {
            throw invalid("Parameter '" + name + "' takes {system}|{value}, both parts given; got '" + ClientText.quote(value) + "'.");
        }
        return new String[] {value.substring(0, bar), value.substring(bar + 1)};
    }

    private static String status(String value) {
        try {
            return AppointmentStatus.fromCode(value).toCode();
        } catch (FHIRException | IllegalArgumentException e) {
            throw invalid("'" + ClientText.quote(value) + "' is not an Appointment status (proposed, pending, booked, arrived,"
                    + " fulfilled, cancelled, noshow, entered-in-error).");
        }
    }

    /**
     * The [from, before) interval of start times that every one of a date parameter's values admits
     * (`date=ge2026-01-01&date=lt2026-02-01` is January), in epoch millis; R4SearchParameters uses it too.
     */
    long[] dateRanges(List<String> values) {
        long from = Long.MIN_VALUE;
        long before = Long.MAX_VALUE;
        for (String value : values) {
            long[] range = dateRange(value);
            from = Math.max(from, range[0]);
            before = Math.min(before, range[1]);
        }
        return new long[] {from, before};
    }

    /** The [from, before) interval of start times a date parameter admits, in epoch millis (shared with R4SearchParameters). */
    long[] dateRange(String value) {
        Matcher m = DATE.matcher(unencodedPlus(value));
        if (!m.matches()) {
            throw invalid("date '" + ClientText.quote(value) + "' is not a FHIR date search: use eq, ge, gt, le or lt followed by"
                    + " YYYY, YYYY-MM, YYYY-MM-DD or a dateTime with a time zone; " + TIME_HINT);
        }
        String prefix = m.group(1) == null ? "eq" : m.group(1);
        long[] period = period(m.group(2), value);
        return switch (prefix) {
            case "eq" -> period;
            case "ge" -> new long[] {period[0], Long.MAX_VALUE};
            case "gt" -> new long[] {period[1], Long.MAX_VALUE};
            case "le" -> new long[] {Long.MIN_VALUE, period[1]};
            case "lt" -> new long[] {Long.MIN_VALUE, period[0]};
            default -> throw new IllegalStateException(prefix);
        };
    }

    private long[] period(String text, String original) {
        try {
            if (text.length() == 4) {
                LocalDate start = LocalDate.of(Integer.parseInt(text), 1, 1);
                return span(start, start.plusYears(1));
            }
            if (text.length() == 7) {
                YearMonth month = YearMonth.parse(text);
                return span(month.atDay(1), month.plusMonths(1).atDay(1));
            }
            if (text.length() == 10) {
                LocalDate day = LocalDate.parse(text);
                return span(day, day.plusDays(1));
            }
            OffsetDateTime moment = OffsetDateTime.parse(text);
            Instant start = moment.toInstant();
            ChronoUnit precision = moment.getNano() != 0 ? ChronoUnit.MILLIS : ChronoUnit.SECONDS;
            return new long[] {start.toEpochMilli(), start.plus(1, precision).toEpochMilli()};
        } catch (DateTimeParseException | NumberFormatException e) {
            throw invalid("date '" + ClientText.quote(original) + "' is not a valid date; " + TIME_HINT);
        }
    }

    /**
     * {@code date=ge2026-01-01T09:00:00+01:00} sent with its '+' unencoded arrives as
     * {@code ge2026-01-01T09:00:00 01:00}: a query string decodes '+' as a space (the form encoding
     * that URLDecoder, and the servers and clients a consumer uses, apply). A FHIR dateTime never
     * contains a space, so a space where a zone offset's sign belongs can only have been that '+'.
     * Any other space is left, and the value rejected.
     */
    static String unencodedPlus(String value) {
        Matcher m = SPACE_FOR_PLUS.matcher(value);
        return m.matches() ? m.group(1) + "+" + m.group(2) : value;
    }

    private long[] span(LocalDate start, LocalDate end) {
        return new long[] {start.atStartOfDay(dateZone).toInstant().toEpochMilli(),
                end.atStartOfDay(dateZone).toInstant().toEpochMilli()};
    }

    private static BadRequestException invalid(String diagnostics) {
        return new BadRequestException(IssueType.INVALID, SpineCode.INVALID_PARAMETER, diagnostics);
    }

}
