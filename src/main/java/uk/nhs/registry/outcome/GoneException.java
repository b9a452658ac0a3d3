package uk.nhs.registry.outcome;

import java.time.Instant;
import org.hl7.fhir.dstu3.model.OperationOutcome.IssueType;

/**
 * 410: the appointment existed but has expired (CONTRACT §6); its content is gone and only a
 * tombstone says when. STU3 has no `deleted` issue type, so the issue is `not-found`; the Spine code
 * is RESOURCE_DELETED ("Resource removed"), which says what happened where NO_RECORD_FOUND would
 * suggest the id was never registered.
 */
public class GoneException extends RegistryException {

    public GoneException(String id, Instant expiredAt) {
        super(410, IssueType.NOTFOUND, SpineCode.RESOURCE_DELETED, "Appointment/" + id + " expired at " + expiredAt
                + " and is no longer held by the registry: every version of it has been deleted.");
    }
}
