package uk.nhs.registry.outcome;

import java.util.List;
import org.hl7.fhir.dstu3.model.OperationOutcome.IssueType;

/** 409: the If-Match version is not the current version. */
public class VersionConflictException extends RegistryException {

    public VersionConflictException(IssueType type, SpineCode spineCode, String diagnostics) {
        super(409, type, spineCode, diagnostics);
    }

    public VersionConflictException(List<Issue> issues) {
        super(409, issues);
    }
}
