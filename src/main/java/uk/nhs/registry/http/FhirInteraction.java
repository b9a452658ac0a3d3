package uk.nhs.registry.http;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.hl7.fhir.dstu3.model.OperationOutcome.IssueType;
import uk.nhs.registry.outcome.ClientText;
import uk.nhs.registry.outcome.BadRequestException;
import uk.nhs.registry.outcome.MethodNotAllowedException;
import uk.nhs.registry.outcome.ResourceNotFoundException;
import uk.nhs.registry.outcome.SpineCode;
import uk.nhs.registry.security.Access;

/** The interactions of CONTRACT §1, recognised from the HTTP method and the path below [base]. */
public enum FhirInteraction {
    CAPABILITIES(null),
    CREATE(Access.WRITE),
    READ(Access.READ),
    VREAD(Access.READ),
    HISTORY(Access.READ),
    UPDATE(Access.WRITE),
    SEARCH(Access.READ);

    private static final String ID = "[A-Za-z0-9\\-.]{1,64}";
    private static final Pattern INSTANCE = Pattern.compile("/Appointment/(" + ID + ")/?");
    private static final Pattern INSTANCE_HISTORY = Pattern.compile("/Appointment/(" + ID + ")/_history/?");
    private static final Pattern VERSION = Pattern.compile("/Appointment/(" + ID + ")/_history/(" + ID + ")/?");
    private static final Pattern ANY_INSTANCE = Pattern.compile("/Appointment/[^/]*(/_history/[^/]*)?/?");

    private final Access access;

    FhirInteraction(Access access) {
        this.access = access;
    }

    /** What a token must grant for this interaction; null for the open capability statement. */
    public Access access() {
        return access;
    }

    /** A recognised request: the interaction and the id and version the URL names, if any. */
    public record Request(FhirInteraction interaction, String id, String versionId) {
    }

    public static Request of(String method, String path) {
        String p = path == null || path.isEmpty() ? "/" : path;
        if (p.equals("/metadata") || p.equals("/metadata/")) {
            return only("GET", method, new Request(CAPABILITIES, null, null));
        }
        if (p.equals("/Appointment") || p.equals("/Appointment/")) {
            if ("GET".equals(method)) {
                return new Request(SEARCH, null, null);
            }
            return only("POST", "GET, POST", method, new Request(CREATE, null, null));
        }
        Matcher version = VERSION.matcher(p);
        if (version.matches()) {
            return only("GET", method, new Request(VREAD, version.group(1), version.group(2)));
        }
        Matcher history = INSTANCE_HISTORY.matcher(p);
        if (history.matches()) {
            return only("GET", method, new Request(HISTORY, history.group(1), null));
        }
        Matcher instance = INSTANCE.matcher(p);
        if (instance.matches()) {
            if ("PUT".equals(method)) {
                return new Request(UPDATE, instance.group(1), null);
            }
            return only("GET", "GET, PUT", method, new Request(READ, instance.group(1), null));
        }
        if (ANY_INSTANCE.matcher(p).matches()) {
            throw new BadRequestException(IssueType.INVALID, SpineCode.BAD_REQUEST,
                    "Resource ids and version ids are 1 to 64 characters of A-Z, a-z, 0-9, '-' and '.'.");
        }
        throw new ResourceNotFoundException(IssueType.NOTSUPPORTED, SpineCode.NO_RECORD_FOUND,
                "The registry serves [base]/metadata and [base]/Appointment only; nothing is at '" + ClientText.quote(p) + "'.");
    }

    /** The request if it uses the one method the path serves, else a 405 whose Allow names that method. */
    private static Request only(String expected, String method, Request request) {
        return only(expected, expected, method, request);
    }

    /** The request if it uses the expected method, else a 405 whose Allow lists what the path serves. */
    private static Request only(String expected, String allow, String method, Request request) {
        if (!expected.equals(method)) {
            throw new MethodNotAllowedException(allow, IssueType.NOTSUPPORTED, SpineCode.INVALID_REQUEST_TYPE,
                    "Method " + ClientText.quote(method) + " is not supported here; this path serves " + allow + ".");
        }
        return request;
    }

}
