package uk.nhs.registry.validation;

import ca.uhn.fhir.validation.ResultSeverityEnum;
import ca.uhn.fhir.validation.SingleValidationMessage;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.hl7.fhir.dstu3.model.OperationOutcome.IssueType;
import uk.nhs.registry.outcome.Issue;
import uk.nhs.registry.outcome.SpineCode;

/**
 * Turns HAPI's validation messages into the registry's issues: what rejects, which FHIR issue type
 * it is, and a text a developer can act on without knowing the validator's internals.
 *
 * <p>HAPI hands over only the RI's message id (an i18n key, or for an invariant
 * {@code profileUrl#key}), so the issue type is derived from that id.
 */
final class ValidationFindings {

    /** Findings that say "the registry could not check this", never "this is wrong". */
    private static final Set<String> CANNOT_CHECK = Set.of(
            "Validation_VAL_Profile_Unknown",
            "VALIDATION_VAL_PROFILE_UNKNOWN_NOT_POLICY",
            "VALIDATION_VAL_PROFILE_UNKNOWN_ERROR",
            "VALIDATION_VAL_PROFILE_UNKNOWN_ERROR_NETWORK",
            "Terminology_TX_ValueSet_NotFound",
            "Terminology_TX_ValueSet_NotFound_CS",
            "Terminology_TX_Binding_NoSource",
            "Terminology_TX_Binding_NoSource2",
            "UNKNOWN_CODESYSTEM",
            "UNKNOWN_CODESYSTEM_VERSION",
            "UNKNOWN_CODESYSTEM_VERSION_NONE");

    /** The same "cannot check" situations when they arrive as pass-through terminology text without an id. */
    private static final Pattern CANNOT_CHECK_TEXT = Pattern.compile(
            "(?i)(code ?system|value ?set)[^.]*(is unknown|could not be found|not found|can't be validated"
                    + "|cannot be validated|ignored/not-present|is not supported)|unable to expand value ?set");

    private static final Pattern INVARIANT = Pattern.compile("^Constraint failed: ([^:]+): '(.*)'(?: \\(defined in .*\\))?$",
            Pattern.DOTALL);
    private static final Pattern MINIMUM = Pattern.compile(
            "^(\\S+): minimum required = (\\d+), but only found (\\d+) \\(from ([^|)]+)(?:\\|[^)]*)?\\)$");
    private static final Pattern MAXIMUM = Pattern.compile(
            "^(\\S+): max allowed = (\\d+), but found (\\d+) \\(from ([^|)]+)(?:\\|[^)]*)?\\)$");
    private static final Pattern JAVA_OBJECT = Pattern.compile("\\[?(?:[a-z][a-z0-9_]*\\.){2,}[A-Za-z0-9_$]+@[0-9a-f]+\\]?");
    private static final Pattern HAPI_CODE = Pattern.compile("HAPI-\\d+:\\s*");

    private ValidationFindings() {
    }

    static List<Issue> toIssues(List<SingleValidationMessage> messages) {
        // The validator can report one finding once per profile; a client needs it once.
        Set<Issue> issues = new LinkedHashSet<>();
        for (SingleValidationMessage m : messages) {
            //System.err.println("MSG " + m.getSeverity() + " | " + m.getMessageId() + " | " + m.getLocationString() + " | " + m.getMessage());
            if (rejects(m)) {
                issues.add(new Issue(typeOf(m.getMessageId()), SpineCode.INVALID_RESOURCE,
                        diagnostics(m), m.getLocationString()));
            }
        }
        return new ArrayList<>(issues);
    }

    private static boolean rejects(SingleValidationMessage m) {
        if (m.getSeverity() != ResultSeverityEnum.ERROR && m.getSeverity() != ResultSeverityEnum.FATAL) {
            return false;
        }
        if (m.getMessageId() != null && CANNOT_CHECK.contains(m.getMessageId())) {
            return false;
        }
        boolean terminology = m.getMessageId() == null || m.getMessageId().startsWith("Terminology_");
        return !(terminology && m.getMessage() != null && CANNOT_CHECK_TEXT.matcher(m.getMessage()).find());
    }

    static IssueType typeOf(String messageId) {
        if (messageId == null) {
            return IssueType.INVALID;
        }
        if (messageId.contains("#") || messageId.startsWith("INV_FAILED")) {
            return IssueType.INVARIANT;
        }
        if (messageId.startsWith("Validation_VAL_Profile_Minimum") || messageId.startsWith("VALIDATION_VAL_PROFILE_MINIMUM")) {
            return IssueType.REQUIRED;
        }
        if (messageId.startsWith("Type_Specific_Checks_") || messageId.startsWith("Primitive_")) {
            return IssueType.VALUE;
        }
        if (messageId.startsWith("Terminology_") || messageId.startsWith("UNKNOWN_CODE")) {
            return IssueType.CODEINVALID;
        }
        if (messageId.startsWith("Validation_VAL_Profile_") || messageId.startsWith("Extension_")
                || messageId.startsWith("Validation_VAL_") || messageId.startsWith("Fixed_Type_Checks_")) {
            return IssueType.STRUCTURE;
        }
        return IssueType.INVALID;
    }

    /** HAPI's text, reworded where it is terse and stripped of anything internal. */
    static String diagnostics(SingleValidationMessage m) {
        String text = m.getMessage() == null ? "fails validation" : HAPI_CODE.matcher(m.getMessage()).replaceAll("");
        text = JAVA_OBJECT.matcher(text).replaceAll("").trim();
        Matcher inv = INVARIANT.matcher(text);
        if (inv.matches()) {
            return inv.group(1) + ": " + inv.group(2);
        }
        Matcher min = MINIMUM.matcher(text);
        if (min.matches()) {
            return min.group(1) + " is required: at least " + min.group(2) + " expected, found " + min.group(3)
                    + " (" + profileName(min.group(4)) + ")";
        }
        Matcher max = MAXIMUM.matcher(text);
        if (max.matches()) {
            String allowed = "0".equals(max.group(2)) ? " is not allowed" : " may occur at most " + max.group(2) + " times";
            return max.group(1) + allowed + ", found " + max.group(3) + " (" + profileName(max.group(4)) + ")";
        }
        return text.length() > 500 ? text.substring(0, 500) + "..." : text;
    }

    private static String profileName(String url) {
        return "profile " + url.substring(url.lastIndexOf('/') + 1);
    }
}
