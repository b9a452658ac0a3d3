package uk.nhs.registry.store;

import java.time.Instant;
import uk.nhs.registry.outcome.SpineCode;
import uk.nhs.registry.security.Caller;

/**
 * One row of the audit trail: a write attempt and how it ended. Deliberately has no field for the
 * resource, the NHS number or a diagnostics text (which can quote either).
 *
 * @param interaction `create` or `update`, or the HTTP method of a write that named no interaction
 * @param appointmentId null for a create that was rejected
 * @param version the version written, or for a rejected update the version it expected; may be null
 * @param caller null when the request was refused before its token was accepted
 */
public record AuditEvent(Instant time, String requestId, String interaction, String appointmentId, Integer version,
        int status, SpineCode spineCode, Caller caller) {

    public static final String CREATE = "create";
    public static final String UPDATE = "update";

    static AuditEvent created(StoredAppointment stored, Caller caller, String requestId) {
        return new AuditEvent(stored.lastUpdated(), requestId, CREATE, stored.id(), stored.version(), 201,
                SpineCode.RESOURCE_CREATED, caller);
    }

    static AuditEvent updated(StoredAppointment stored, Caller caller, String requestId) {
        return new AuditEvent(stored.lastUpdated(), requestId, UPDATE, stored.id(), stored.version(), 200,
                SpineCode.RESOURCE_UPDATED, caller);
    }
}
