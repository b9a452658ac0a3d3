package uk.nhs.registry.outcome;

import org.hl7.fhir.dstu3.model.OperationOutcome.IssueType;

/**
 * One finding of a rejected request: the FHIR issue type, the Spine code, a diagnostics text a
 * developer can act on, and (when it concerns one element) the FHIRPath of that element.
 */
public record Issue(IssueType type, SpineCode spineCode, String diagnostics, String expression) {

    public Issue(IssueType type, SpineCode spineCode, String diagnostics) {
        this(type, spineCode, diagnostics, null);
    }
}
