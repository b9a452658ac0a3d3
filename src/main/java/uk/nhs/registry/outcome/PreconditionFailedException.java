package uk.nhs.registry.outcome;

import java.util.List;
import org.hl7.fhir.dstu3.model.OperationOutcome.IssueType;

/** 412: a required precondition (If-Match) is missing. */
public class PreconditionFailedException extends RegistryException {

    public PreconditionFailedException(IssueType type, SpineCode spineCode, String diagnostics) {
        super(412, type, spineCode, diagnostics);
    }

    public PreconditionFailedException(List<Issue> issues) {
        super(412, issues);
    }
}
