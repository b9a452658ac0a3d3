package uk.nhs.registry.outcome;

import java.util.List;
import org.hl7.fhir.dstu3.model.OperationOutcome.IssueType;

/** 405: the path exists but not for this HTTP method. */
public class MethodNotAllowedException extends RegistryException {

    public MethodNotAllowedException(IssueType type, SpineCode spineCode, String diagnostics) {
        super(405, type, spineCode, diagnostics);
    }

    public MethodNotAllowedException(List<Issue> issues) {
        super(405, issues);
    }
}
