package uk.nhs.registry.http;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.hl7.fhir.dstu3.model.OperationOutcome.IssueType;
import uk.nhs.registry.outcome.BadRequestException;
import uk.nhs.registry.outcome.PreconditionFailedException;
import uk.nhs.registry.outcome.SpineCode;

/** The version a cancel expects to replace, from `If-Match: W/"n"` (the weak prefix is optional). */
final class IfMatch {

    private static final Pattern ETAG = Pattern.compile("(?:W/)?\"([1-9][0-9]{0,8})\"");

    private IfMatch() {
    }

    /** The medTech flavour's If-Match (CONTRACT §7): optional; null when absent, checked like STU3's when sent. */
    static Integer optionalVersion(String header) {
        return header == null ? null : expectedVersion(header);
    }

    static int expectedVersion(String header) {
        if (header == null) {
            throw new PreconditionFailedException(IssueType.PROCESSING, SpineCode.PRECONDITION_FAILED,
                    "A cancel must carry If-Match with the version it replaces, e.g. If-Match: W/\"1\" (the ETag of your read).");
        }
        Matcher matcher = ETAG.matcher(header.trim());
        if (!matcher.matches()) {
            throw new BadRequestException(IssueType.INVALID, SpineCode.MISSING_OR_INVALID_HEADER,
                    "If-Match must be one version ETag such as W/\"1\" or \"1\".");
        }
        return Integer.parseInt(matcher.group(1));
    }
}
