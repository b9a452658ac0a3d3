package uk.nhs.registry.outcome;

import java.util.List;
import org.hl7.fhir.dstu3.model.OperationOutcome.IssueType;

/** 422: a well-formed Appointment that breaks a FHIR or registry rule. */
public class UnprocessableEntityException extends RegistryException {

    public UnprocessableEntityException(IssueType type, SpineCode spineCode, String diagnostics) {
        super(422, type, spineCode, diagnostics);
    }

    public UnprocessableEntityException(List<Issue> issues) {
        super(422, issues);
    }
}
