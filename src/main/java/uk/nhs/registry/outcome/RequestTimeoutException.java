package uk.nhs.registry.outcome;

import org.hl7.fhir.dstu3.model.OperationOutcome.IssueType;

/** 408: the client stopped sending its request (registry.http.idle-timeout-ms passed). */
public class RequestTimeoutException extends RegistryException {

    public RequestTimeoutException(IssueType type, SpineCode spineCode, String diagnostics) {
        super(408, type, spineCode, diagnostics);
    }
}
