package uk.nhs.registry.outcome;

import java.util.List;
import org.hl7.fhir.dstu3.model.OperationOutcome.IssueType;

/** 413: the body is larger than registry.http.max-body-bytes. */
public class PayloadTooLargeException extends RegistryException {

    public PayloadTooLargeException(IssueType type, SpineCode spineCode, String diagnostics) {
        super(413, type, spineCode, diagnostics);
    }

    public PayloadTooLargeException(List<Issue> issues) {
        super(413, issues);
    }
}
