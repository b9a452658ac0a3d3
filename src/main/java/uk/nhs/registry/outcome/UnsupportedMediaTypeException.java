package uk.nhs.registry.outcome;

import java.util.List;
import org.hl7.fhir.dstu3.model.OperationOutcome.IssueType;

/** 415: the body is in a format the registry does not read. */
public class UnsupportedMediaTypeException extends RegistryException {

    public UnsupportedMediaTypeException(IssueType type, SpineCode spineCode, String diagnostics) {
        super(415, type, spineCode, diagnostics);
    }

    public UnsupportedMediaTypeException(List<Issue> issues) {
        super(415, issues);
    }
}
