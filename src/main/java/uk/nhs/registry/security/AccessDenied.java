package uk.nhs.registry.security;

import org.hl7.fhir.dstu3.model.OperationOutcome.IssueType;
import uk.nhs.registry.outcome.ForbiddenException;
import uk.nhs.registry.outcome.SpineCode;

/** The one shape of every authorisation failure: 403, issue code `forbidden`, Spine `ACCESS DENIED`. */
public final class AccessDenied {

    private AccessDenied() {
    }

    public static ForbiddenException because(String diagnostics) {
        return new ForbiddenException(IssueType.FORBIDDEN, SpineCode.ACCESS_DENIED, diagnostics);
    }
}
