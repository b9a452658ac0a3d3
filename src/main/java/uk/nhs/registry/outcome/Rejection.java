package uk.nhs.registry.outcome;

import ca.uhn.fhir.parser.DataFormatException;
import java.util.List;
import org.hl7.fhir.dstu3.model.OperationOutcome;
import org.hl7.fhir.dstu3.model.OperationOutcome.IssueType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one mapping from any failure to a status and its OperationOutcome, shared by the HTTP
 * responder and the feed's dead-letter path. A failure the registry did not anticipate becomes a
 * 500 whose text reveals nothing internal; its detail goes to the log only.
 */
public record Rejection(int status, List<Issue> issues) {

    private static final Logger LOG = LoggerFactory.getLogger(Rejection.class);

    public static Rejection of(Throwable failure) {
        RegistryException known = find(failure, RegistryException.class);
        if (known != null) {
            return new Rejection(known.status(), known.issues());
        }
        DataFormatException unparsable = find(failure, DataFormatException.class);
        if (unparsable != null) {
            return new Rejection(400, List.of(new Issue(IssueType.STRUCTURE, SpineCode.MESSAGE_NOT_WELL_FORMED,
                    "The body is not a well-formed FHIR resource.")));
        }
        LOG.error("Unexpected failure while handling the request", failure);
        return new Rejection(500, List.of(new Issue(IssueType.EXCEPTION, SpineCode.INTERNAL_SERVER_ERROR,
                "The registry could not complete the request because of an internal error. Nothing was changed;"
                        + " the request is safe to retry.")));
    }

    /**
     * A request the HTTP server refused before the registry saw it (a malformed request line, an
     * ambiguous URI, headers too large, a body that never arrived): the same kind of answer for the
     * status the server chose.
     */
    public static Rejection ofHttpStatus(int status) {
        Issue issue = switch (status) {
            case 400 -> new Issue(IssueType.INVALID, SpineCode.BAD_REQUEST, "The request is not valid HTTP, or its URI is"
                    + " ambiguous (an encoded '/', '..' or a bad escape); send plain FHIR REST paths.");
            case 404 -> new Issue(IssueType.NOTSUPPORTED, SpineCode.NO_RECORD_FOUND,
                    "The registry serves [base]/metadata and [base]/Appointment only.");
            case 405 -> new Issue(IssueType.NOTSUPPORTED, SpineCode.INVALID_REQUEST_TYPE, "This method is not supported.");
            case 408 -> new Issue(IssueType.TIMEOUT, SpineCode.BAD_REQUEST,
                    "The request did not arrive in time; the connection was idle too long.");
            case 413 -> new Issue(IssueType.TOOCOSTLY, SpineCode.BAD_REQUEST, "The request is larger than the registry accepts.");
            case 414 -> new Issue(IssueType.TOOCOSTLY, SpineCode.BAD_REQUEST, "The request URI is longer than the registry accepts.");
            case 431 -> new Issue(IssueType.TOOCOSTLY, SpineCode.MISSING_OR_INVALID_HEADER,
                    "The request headers are larger than the registry accepts.");
            default -> status >= 500
                    ? new Issue(IssueType.EXCEPTION, SpineCode.INTERNAL_SERVER_ERROR,
                            "The registry could not complete the request. Nothing was changed; the request is safe to retry.")
                    : new Issue(IssueType.INVALID, SpineCode.BAD_REQUEST, "The request was refused by the HTTP server.");
        };
        return new Rejection(status >= 400 && status <= 599 ? status : 500, List.of(issue));
    }

    public OperationOutcome outcome() {
        return OperationOutcomes.of(issues);
    }

    /** The OperationOutcome in the FHIR version of the flavour the request came by (CONTRACT §2, §7). */
    public org.hl7.fhir.instance.model.api.IBaseResource outcome(uk.nhs.registry.store.Flavour flavour) {
        return flavour == uk.nhs.registry.store.Flavour.R4 ? R4OperationOutcomes.of(issues) : outcome();
    }

    public SpineCode spineCode() {
        return issues.get(0).spineCode();
    }

    private static <T extends Throwable> T find(Throwable failure, Class<T> type) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        return null;
    }
}
