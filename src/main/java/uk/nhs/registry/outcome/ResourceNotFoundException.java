package uk.nhs.registry.outcome;

import java.util.List;
import org.hl7.fhir.dstu3.model.OperationOutcome.IssueType;

/** 404: no such appointment, version or endpoint. */
public class ResourceNotFoundException extends RegistryException {

    public ResourceNotFoundException(IssueType type, SpineCode spineCode, String diagnostics) {
        super(404, type, spineCode, diagnostics);
    }

    public ResourceNotFoundException(List<Issue> issues) {
        super(404, issues);
    }
}
