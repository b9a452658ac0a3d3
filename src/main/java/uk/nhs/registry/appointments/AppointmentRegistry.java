package uk.nhs.registry.appointments;

import java.util.List;
import org.hl7.fhir.dstu3.model.Appointment;
import org.hl7.fhir.dstu3.model.OperationOutcome.IssueType;
import uk.nhs.registry.outcome.SpineCode;
import uk.nhs.registry.outcome.VersionConflictException;
import uk.nhs.registry.ops.RegistryMetrics;
import uk.nhs.registry.security.Caller;
import uk.nhs.registry.store.AppointmentQuery;
import uk.nhs.registry.store.AppointmentStore;
import uk.nhs.registry.store.StoredAppointment;
import uk.nhs.registry.validation.AppointmentRules;

/**
 * The registry's operations, whichever way a request arrives (HTTP or a feed): the rules of
 * {@link AppointmentRules} first, then the version-checked write of {@link AppointmentStore}.
 */
public final class AppointmentRegistry {

    private final AppointmentRules rules;
    private final AppointmentStore store;
    private final RegistryMetrics metrics;

    public AppointmentRegistry(AppointmentRules rules, AppointmentStore store) {
        this(rules, store, RegistryMetrics.discarding());
    }

    /** Counts each committed registration and cancellation, whichever path it came by. */
    public AppointmentRegistry(AppointmentRules rules, AppointmentStore store, RegistryMetrics metrics) {
        this.rules = rules;
        this.store = store;
        this.metrics = metrics;
    }

    public StoredAppointment register(Appointment appointment, Caller caller, String requestId) {
        String nhsNumber = rules.checkRegistration(appointment);
        StoredAppointment stored = store.register(appointment, nhsNumber, caller, requestId);
        metrics.registered();
        return stored;
    }

    /**
     * Cancels version {@code expectedVersion} of an appointment. The version is checked here for a
     * clear answer and again by the store's conditional update, which is what makes concurrent
     * cancels (also from other instances on the same database) yield exactly one winner.
     */
    public StoredAppointment cancel(String id, int expectedVersion, Appointment proposed, Caller caller, String requestId) {
        StoredAppointment current = read(id);
        if (current.version() != expectedVersion) {
            throw new VersionConflictException(IssueType.CONFLICT, SpineCode.FHIR_CONSTRAINT_VIOLATION,
                    "Version " + expectedVersion + " is not the current version (" + current.version()
                            + ") of Appointment/" + id + "; read it again and retry.");
        }
        rules.checkCancellation(current.resource(), proposed);
        StoredAppointment stored = store.cancel(id, expectedVersion, proposed, caller, requestId);
        metrics.cancelled();
        return stored;
    }

    public StoredAppointment read(String id) {
        return store.require(id);
    }

    public StoredAppointment readVersion(String id, String versionId) {
        return store.requireVersion(id, versionId);
    }

    /** Every version of an appointment, newest first. */
    public List<StoredAppointment> history(String id) {
        return store.requireHistory(id);
    }

    public List<StoredAppointment> search(AppointmentQuery query) {
        return store.search(query);
    }
}
