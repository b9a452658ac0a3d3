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
                    "The body is not a well-formed FHIR resource: " + ParserMessages.clean(unparsable.getMessage()))));
        }
        LOG.error("Unexpected failure while handling the request", failure);
        return new Rejection(500, List.of(new Issue(IssueType.EXCEPTION, SpineCode.INTERNAL_SERVER_ERROR,
                "The registry could not complete the request because of an internal error. Nothing was changed;"
                        + " the request is safe to retry.")));
    }

    public OperationOutcome outcome() {
        return OperationOutcomes.of(issues);
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
