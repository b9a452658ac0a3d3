package uk.nhs.registry.outcome;

import java.util.List;
import org.hl7.fhir.dstu3.model.OperationOutcome.IssueType;

/** 403: the token or client is not allowed to do this. */
public class ForbiddenException extends RegistryException {

    public ForbiddenException(IssueType type, SpineCode spineCode, String diagnostics) {
        super(403, type, spineCode, diagnostics);
    }

    public ForbiddenException(List<Issue> issues) {
        super(403, issues);
    }
}
