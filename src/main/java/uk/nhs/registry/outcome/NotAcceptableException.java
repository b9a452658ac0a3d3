package uk.nhs.registry.outcome;

import java.util.List;
import org.hl7.fhir.dstu3.model.OperationOutcome.IssueType;

/** 406: no format the client accepts can be produced. */
public class NotAcceptableException extends RegistryException {

    public NotAcceptableException(IssueType type, SpineCode spineCode, String diagnostics) {
        super(406, type, spineCode, diagnostics);
    }

    public NotAcceptableException(List<Issue> issues) {
        super(406, issues);
    }
}
