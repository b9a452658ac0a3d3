package uk.nhs.registry.testsupport;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import org.hl7.fhir.dstu3.model.Appointment;

/**
 * Bodies an attacker with a valid certificate and token would send (CONTRACT §2 "Strict input",
 * "Bounded work"), each a valid appointment but for one thing, and each carrying its own identifier
 * value ({@link #marker()}) so a test can check nothing was stored. Shared by the parser's unit
 * test, the HTTP and feed tests and the fuzz test, so each path is tried with the same shapes.
 */
public final class HostileBodies {

    private HostileBodies() {
    }

    /** A fresh identifier value. */
    public static String marker() {
        return "urn:uuid:" + UUID.randomUUID();
    }

    /** A valid booked appointment in JSON, with this identifier value. */
    public static String json(String marker, int patient) {
        return TestAppointments.json(appointment(marker, patient));
    }

    public static Appointment appointment(String marker, int patient) {
        return TestAppointments.booked(TestNhsNumbers.valid(patient), marker, Instant.now().plus(2, ChronoUnit.DAYS));
    }

    /** The identifier value followed by raw JSON text (an escape such as {@code \ud800} stays an escape). */
    public static String identifierEndingIn(String marker, int patient, String rawJson) {
        return replaceOnce(json(marker, patient), "\"value\":\"" + marker + "\"", "\"value\":\"" + marker + rawJson + "\"");
    }

    /** {@code "status":"cancelled","status":"booked"}: the last key would win in a lenient parser. */
    public static String duplicateStatus(String marker, int patient) {
        return replaceOnce(json(marker, patient), "\"status\":\"booked\"", "\"status\":\"cancelled\",\"status\":\"booked\"");
    }

    /** {@code "status":["booked"]}: an array where FHIR has a single code. */
    public static String statusAsArray(String marker, int patient) {
        return replaceOnce(json(marker, patient), "\"status\":\"booked\"", "\"status\":[\"booked\"]");
    }

    /** The NHS number as a JSON number where FHIR has a string. */
    public static String nhsNumberAsNumber(String marker, int patient) {
        String nhs = TestNhsNumbers.valid(patient);
        return replaceOnce(json(marker, patient), "\"value\":\"" + nhs + "\"", "\"value\":" + nhs);
    }

    /** The appointment with {@code extra} more participants that name no actor (each a validation finding). */
    public static String participants(String marker, int patient, int extra) {
        StringBuilder more = new StringBuilder();
        for (int i = 0; i < extra; i++) {
            more.append(",{\"status\":\"accepted\"}");
        }
        String json = json(marker, patient);
        int end = json.lastIndexOf(']');
        return json.substring(0, end) + more + json.substring(end);
    }

    /** An extension array nested {@code depth} levels deep. */
    public static String nested(String marker, int patient, int depth) {
        return replaceOnce(json(marker, patient), "{", "{\"extension\":" + "[".repeat(depth) + "]".repeat(depth) + ",");
    }

    /** The identifier value with a control character, JSON-escaped (e.g. BEL as {@code \u0007}). */
    public static String controlCharacterInIdentifier(String marker, int patient, char control) {
        return identifierEndingIn(marker, patient, String.format("\\u%04x", (int) control));
    }

    private static String replaceOnce(String text, String target, String replacement) {
        int at = text.indexOf(target);
        if (at < 0) {
            throw new IllegalArgumentException("no '" + target + "' in " + text);
        }
        return text.substring(0, at) + replacement + text.substring(at + target.length());
    }
}
