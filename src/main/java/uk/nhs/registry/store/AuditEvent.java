package uk.nhs.registry.store;

import java.time.Instant;
import uk.nhs.registry.outcome.SpineCode;
import uk.nhs.registry.security.Caller;

/**
 * One row of the audit trail: a write attempt and how it ended. Deliberately has no field for the
 * resource, the NHS number or a diagnostics text (which can quote either).
 *
 * @param interaction `create`, `update` or `delete` (an expiry), or the HTTP method of a write that named no interaction
 * @param appointmentId null for a create that was rejected
 * @param version the version written, or for a rejected update the version it expected; may be null
 * @param caller null when the request was refused before its token was accepted
 */
public record AuditEvent(Instant time, String requestId, String interaction, String appointmentId, Integer version,
        int status, SpineCode spineCode, Caller caller) {

    public static final String CREATE = "create";
    public static final String UPDATE = "update";
    /** An appointment expired (CONTRACT §6): the registry deleted it, recorded as FHIR's delete interaction. */
    public static final String DELETE = "delete";

    static AuditEvent created(StoredAppointment stored, Caller caller, String requestId) {
        return new AuditEvent(stored.lastUpdated(), requestId, CREATE, stored.id(), stored.version(), 201,
                SpineCode.RESOURCE_CREATED, caller);
    }

    /** The expiry job deleted the appointment whose current version was {@code version}. */
    static AuditEvent expired(String id, int version, Instant when, Caller expiry, String runId) {
        return new AuditEvent(when, runId, DELETE, id, version, 200, SpineCode.RESOURCE_DELETED, expiry);
    }

    static AuditEvent updated(StoredAppointment stored, Caller caller, String requestId) {
        return new AuditEvent(stored.lastUpdated(), requestId, UPDATE, stored.id(), stored.version(), 200,
                SpineCode.RESOURCE_UPDATED, caller);
    }
}
