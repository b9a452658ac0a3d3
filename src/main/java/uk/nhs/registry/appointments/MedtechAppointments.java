package uk.nhs.registry.appointments;

import java.util.List;
import org.hl7.fhir.dstu3.model.OperationOutcome.IssueType;
import org.hl7.fhir.r4.model.Appointment;
import uk.nhs.registry.outcome.SpineCode;
import uk.nhs.registry.outcome.VersionConflictException;
import uk.nhs.registry.ops.RegistryMetrics;
import uk.nhs.registry.security.Caller;
import uk.nhs.registry.store.AppointmentQuery;
import uk.nhs.registry.store.AppointmentStore;
import uk.nhs.registry.store.Flavour;
import uk.nhs.registry.store.R4Appointment;
import uk.nhs.registry.store.StoredAppointment;
import uk.nhs.registry.validation.MedtechAppointmentRules;

/**
 * The medTech flavour's operations (CONTRACT §7): the rules of {@link MedtechAppointmentRules}
 * first, then the version-checked write of an {@link AppointmentStore} scoped to R4, so neither
 * flavour ever sees the other's appointments.
 */
public final class MedtechAppointments {

    private final MedtechAppointmentRules rules;
    private final AppointmentStore store;
    private final RegistryMetrics metrics;

    public MedtechAppointments(MedtechAppointmentRules rules, AppointmentStore store, RegistryMetrics metrics) {
        if (store.flavour() != Flavour.R4) {
            throw new IllegalArgumentException("the medTech flavour needs a store scoped to R4");
        }
        this.rules = rules;
        this.store = store;
        this.metrics = metrics;
    }

    /** A search: the store's query and, optionally, a practitioner the appointment must name. */
    public record Search(AppointmentQuery query, String practitionerReference) {
    }

    /** Creates a `proposed` appointment: stored as version 1, `booked`. */
    public StoredAppointment create(Appointment appointment, Caller caller, String requestId) {
        MedtechAppointmentRules.Booking booking = rules.checkCreation(appointment);
        StoredAppointment stored = store.register(new R4Appointment(booking.booked(), booking.patientReference()),
                caller, requestId);
        metrics.registered(Flavour.R4);
        return stored;
    }

    /**
     * Cancels an appointment. If-Match is optional in the medTech IG: without one
     * ({@code expectedVersion} null) the current version is replaced; with one, a stale version is
     * a conflict. Either way the store's conditional update decides a race: one winner.
     */
    public StoredAppointment cancel(String id, Integer expectedVersion, Appointment proposed, Caller caller,
            String requestId) {
        StoredAppointment current = read(id);
        if (expectedVersion != null && current.version() != expectedVersion) {
            throw new VersionConflictException(IssueType.CONFLICT, SpineCode.FHIR_CONSTRAINT_VIOLATION,
                    "Version " + expectedVersion + " is not the current version (" + current.version()
                            + ") of Appointment/" + id + "; read it again and retry.");
        }
        rules.checkCancellation(R4Appointment.resourceOf(current), proposed);
        StoredAppointment stored = store.cancel(id, current.version(), new R4Appointment(proposed, null), caller, requestId);
        metrics.cancelled(Flavour.R4);
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

    public List<StoredAppointment> search(Search search) {
        List<StoredAppointment> found = store.search(search.query());
        if (search.practitionerReference() == null) {
            return found;
        }
        return found.stream().filter(stored -> R4Appointment.resourceOf(stored).getParticipant().stream()
                .anyMatch(p -> search.practitionerReference().equals(p.getActor().getReference()))).toList();
    }
}
