package uk.nhs.registry.outcome;

import java.util.List;
import org.hl7.fhir.dstu3.model.OperationOutcome.IssueType;

/** 400: the request itself is malformed (syntax, headers, parameters, ids). */
public class BadRequestException extends RegistryException {

    public BadRequestException(IssueType type, SpineCode spineCode, String diagnostics) {
        super(400, type, spineCode, diagnostics);
    }

    public BadRequestException(List<Issue> issues) {
        super(400, issues);
    }
}
