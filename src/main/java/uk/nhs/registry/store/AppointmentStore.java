package uk.nhs.registry.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import javax.sql.DataSource;
import org.hl7.fhir.dstu3.model.Appointment;
import org.hl7.fhir.dstu3.model.OperationOutcome.IssueType;
import uk.nhs.registry.outcome.GoneException;
import uk.nhs.registry.outcome.RegistryException;
import uk.nhs.registry.outcome.ResourceNotFoundException;
import uk.nhs.registry.outcome.SpineCode;
import uk.nhs.registry.outcome.UnprocessableEntityException;
import uk.nhs.registry.outcome.VersionConflictException;
import uk.nhs.registry.security.Caller;

/**
 * Appointments and their history in the registry database, for one {@link Flavour}: every
 * statement is scoped to it, so a flavour never sees another's appointments. Each write is one
 * transaction, and every rule that concurrent writers could race on (one registration per
 * identifier, one update per version) is enforced by the database itself, so it holds across
 * threads, pools and processes alike.
 */
public final class AppointmentStore {

    private static final String RESOURCE_TYPE = "Appointment";
    // A fresh UUID colliding, or an identifier row vanishing after a violation, is not expected;
    // a second attempt is cheap insurance against either.
    private static final int REGISTER_ATTEMPTS = 2;

    private static final String COLUMNS = "id, version, last_updated, status, resource";
    private static final String VERSION_COLUMNS = "v.id, v.version, v.last_updated, v.status, v.resource";

    private final Transactions transactions;
    private final DataSource dataSource;
    private final Flavour flavour;
    private final Clock clock;

    /** The STU3 (NHS) flavour's appointments. */
    public AppointmentStore(DataSource dataSource) {
        this(dataSource, Flavour.STU3, Clock.systemUTC());
    }

    public AppointmentStore(DataSource dataSource, Flavour flavour) {
        this(dataSource, flavour, Clock.systemUTC());
    }

    public AppointmentStore(DataSource dataSource, Flavour flavour, Clock clock) {
        this.dataSource = dataSource;
        this.transactions = new Transactions(dataSource);
        this.flavour = flavour;
        this.clock = clock;
    }

    public Flavour flavour() {
        return flavour;
    }

    /** STU3: {@link #register(StorableAppointment, Caller, String)} of the appointment with its patient's NHS number. */
    public StoredAppointment register(Appointment appointment, String nhsNumber, Caller caller, String requestId) {
        Objects.requireNonNull(nhsNumber, "nhsNumber");
        return register(new Stu3Appointment(appointment, nhsNumber), caller, requestId);
    }

    /** STU3: {@link #cancel(String, int, StorableAppointment, Caller, String)} with an STU3 Appointment. */
    public StoredAppointment cancel(String id, int expectedVersion, Appointment updated, Caller caller, String requestId) {
        return cancel(id, expectedVersion, new Stu3Appointment(updated, null), caller, requestId);
    }

    /**
     * Stores a new appointment as version 1 under a new id.
     *
     * @throws UnprocessableEntityException DUPLICATE if any of its identifiers is already
     *     registered, VALUE if an identifier is too long to register
     */
    public StoredAppointment register(StorableAppointment appointment, Caller caller, String requestId) {
        List<RegisteredIdentifier> identifiers = appointment.identifiers();
        for (int attempt = 1; ; attempt++) {
            StoredAppointment stored = stamp(appointment, TimeOrderedIds.next(), 1);
            try {
                transactions.run(connection -> {
                    insertCurrent(connection, stored, appointment);
                    insertIdentifiers(connection, stored.id(), identifiers);
                    insertVersion(connection, stored, caller, requestId);
                    AuditTrail.insert(connection, AuditEvent.created(stored, caller, requestId)); // same transaction as the write
                    return null;
                });
                return stored;
            } catch (SQLException e) {
                if (!SqlErrors.isUniqueViolation(e)) {
                    throw new StoreException("could not register an appointment", e);
                }
                Optional<UnprocessableEntityException> duplicate = duplicateOf(identifiers);
                if (duplicate.isPresent()) {
                    throw duplicate.get();
                }
                if (attempt >= REGISTER_ATTEMPTS) {
                    throw new StoreException("unique violation without an existing registration", e);
                }
            }
        }
    }

    public Optional<StoredAppointment> read(String id) {
        return queryOne("SELECT " + COLUMNS + " FROM appointment WHERE id = ? AND flavour = ?", statement -> {
            statement.setString(1, id);
            statement.setString(2, flavour.column());
        });
    }

    public Optional<StoredAppointment> readVersion(String id, int version) {
        return queryOne("SELECT " + VERSION_COLUMNS + " FROM appointment_version v JOIN appointment a ON a.id = v.id"
                + " WHERE v.id = ? AND v.version = ? AND a.flavour = ?", statement -> {
                    statement.setString(1, id);
                    statement.setInt(2, version);
                    statement.setString(3, flavour.column());
                });
    }

    /** Every stored version of an appointment, newest first; empty if the flavour has no appointment with this id. */
    public List<StoredAppointment> history(String id) {
        return query("SELECT " + VERSION_COLUMNS + " FROM appointment_version v JOIN appointment a ON a.id = v.id"
                + " WHERE v.id = ? AND a.flavour = ? ORDER BY v.version DESC", statement -> {
                    statement.setString(1, id);
                    statement.setString(2, flavour.column());
                });
    }

    /**
     * Replaces version {@code expectedVersion} of an appointment with {@code updated} as the next
     * version. Only the status column is taken from {@code updated}; the identifiers, patient and
     * start registered with version 1 stay as they are.
     *
     * @throws ResourceNotFoundException if there is no appointment with this id
     * @throws GoneException if the appointment expired (also while this cancel was under way)
     * @throws VersionConflictException if {@code expectedVersion} is not the current version
     */
    public StoredAppointment cancel(String id, int expectedVersion, StorableAppointment updated, Caller caller,
            String requestId) {
        StoredAppointment stored = stamp(updated, id, expectedVersion + 1);
        boolean replaced;
        try {
            replaced = transactions.run(connection -> {
                // The version check is in the WHERE clause, so the database decides the race:
                // of any number of writers holding the same version, exactly one matches a row.
                if (!updateCurrent(connection, stored, expectedVersion)) {
                    return false;
                }
                insertVersion(connection, stored, caller, requestId);
                AuditTrail.insert(connection, AuditEvent.updated(stored, caller, requestId)); // same transaction as the write
                return true;
            });
        } catch (SQLException e) {
            throw new StoreException("could not update appointment", e);
        }
        if (replaced) {
            return stored;
        }
        OptionalInt current = currentVersion(id);
        if (current.isEmpty()) {
            throw absent(id);
        }
        throw new VersionConflictException(IssueType.CONFLICT, SpineCode.FHIR_CONSTRAINT_VIOLATION,
                "Version " + expectedVersion + " is not the current version (" + current.getAsInt() + ") of "
                        + RESOURCE_TYPE + "/" + id + "; read it again and retry");
    }

    /** Current versions matching every given criterion, ordered by start (unknown last), then id. */
    public List<StoredAppointment> search(AppointmentQuery query) {
        SearchSql sql = SearchSql.of(flavour, query);
        return query(sql.text(), sql::bind);
    }

    /** The current version, or the 404/410 to answer for the id. */
    public StoredAppointment require(String id) {
        return read(id).orElseThrow(() -> absent(id));
    }

    /**
     * The version a URL names, as the client wrote it, or the 404/410 to answer. A version id that
     * is not a number names no version the registry ever assigned: 404 as well.
     */
    public StoredAppointment requireVersion(String id, String versionId) {
        int version;
        try {
            version = Integer.parseInt(versionId);
        } catch (NumberFormatException e) {
            version = -1;
        }
        int wanted = version;
        return readVersion(id, wanted).orElseThrow(() -> read(id).isPresent()
                ? new ResourceNotFoundException(IssueType.NOTFOUND, SpineCode.NO_RECORD_FOUND,
                        RESOURCE_TYPE + "/" + id + " has no version " + wanted + ".")
                : absent(id));
    }

    /** Every version, newest first, or the 404/410 to answer for the id. */
    public List<StoredAppointment> requireHistory(String id) {
        List<StoredAppointment> versions = history(id);
        if (versions.isEmpty()) {
            throw absent(id);
        }
        return versions;
    }

    /**
     * What to answer for an id this flavour holds no appointment under: 410 Gone if it expired (its
     * tombstone says when), else 404. Asked only after a read missed, so reads of live appointments
     * never look at tombstones.
     */
    public RegistryException absent(String id) {
        return expiredAt(id).<RegistryException>map(when -> new GoneException(id, when))
                .orElseGet(() -> new ResourceNotFoundException(IssueType.NOTFOUND, SpineCode.NO_RECORD_FOUND,
                        "No appointment with id " + id + " is registered."));
    }

    /**
     * When the appointment with this id expired (CONTRACT §6), if it did: its tombstone in this
     * flavour. Meant for after a read found nothing, so that reads of live appointments never pay
     * for it; a read that misses asks this to tell 410 Gone from 404.
     */
    public Optional<Instant> expiredAt(String id) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement select = connection.prepareStatement(
                        "SELECT expired_at FROM expired_appointment WHERE id = ? AND flavour = ?")) {
            select.setString(1, id);
            select.setString(2, flavour.column());
            try (ResultSet rows = select.executeQuery()) {
                return rows.next() ? Optional.of(Instant.ofEpochMilli(rows.getLong(1))) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new StoreException("could not look up an expired appointment", e);
        }
    }

    /** Whether the database answers now; for readiness checks. */
    public boolean isReachable() {
        try (Connection connection = dataSource.getConnection()) {
            return connection.isValid(2);
        } catch (SQLException e) {
            return false;
        }
    }

    // The stored resource carries its id and meta, so every later read is self-describing. The
    // caller's object is left alone.
    private StoredAppointment stamp(StorableAppointment appointment, String id, int version) {
        Instant lastUpdated = Instant.ofEpochMilli(clock.millis());
        return new StoredAppointment(id, version, lastUpdated, appointment.status(),
                appointment.stampedJson(id, version, lastUpdated));
    }

    private void insertCurrent(Connection connection, StoredAppointment stored, StorableAppointment appointment)
            throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement(
                "INSERT INTO appointment (id, version, status, nhs_number, start_millis, last_updated, resource, flavour,"
                        + " patient_reference, created_millis, end_millis) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            insert.setString(1, stored.id());
            insert.setInt(2, stored.version());
            insert.setString(3, stored.status());
            insert.setString(4, appointment.nhsNumber());
            setMillis(insert, 5, appointment.startMillis());
            insert.setLong(6, stored.lastUpdated().toEpochMilli());
            insert.setString(7, stored.json());
            insert.setString(8, flavour.column());
            insert.setString(9, appointment.patientReference());
            setMillis(insert, 10, appointment.createdMillis());
            setMillis(insert, 11, appointment.endMillis());
            insert.executeUpdate();
        }
    }

    private static void setMillis(PreparedStatement statement, int index, Long millis) throws SQLException {
        if (millis == null) {
            statement.setNull(index, Types.BIGINT);
        } else {
            statement.setLong(index, millis);
        }
    }

    private void insertIdentifiers(Connection connection, String id, List<RegisteredIdentifier> identifiers)
            throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement(
                "INSERT INTO appointment_identifier (flavour, id_system, id_value, appointment_id) VALUES (?, ?, ?, ?)")) {
            // One statement each rather than a batch: the first violation then stops the
            // transaction with a plain SQLException whose state is reliable on both databases.
            for (RegisteredIdentifier identifier : identifiers) {
                insert.setString(1, flavour.column());
                insert.setString(2, identifier.system());
                insert.setString(3, identifier.value());
                insert.setString(4, id);
                insert.executeUpdate();
            }
        }
    }

    private boolean updateCurrent(Connection connection, StoredAppointment stored, int expectedVersion)
            throws SQLException {
        try (PreparedStatement update = connection.prepareStatement(
                "UPDATE appointment SET version = ?, status = ?, last_updated = ?, resource = ?"
                        + " WHERE id = ? AND version = ? AND flavour = ?")) {
            update.setInt(1, stored.version());
            update.setString(2, stored.status());
            update.setLong(3, stored.lastUpdated().toEpochMilli());
            update.setString(4, stored.json());
            update.setString(5, stored.id());
            update.setInt(6, expectedVersion);
            update.setString(7, flavour.column());
            return update.executeUpdate() == 1;
        }
    }

    private static void insertVersion(Connection connection, StoredAppointment stored, Caller caller, String requestId)
            throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement(
                "INSERT INTO appointment_version (id, version, status, last_updated, resource, request_id,"
                        + " actor_issuer, actor_subject, actor_organisation, actor_certificate, actor_source)"
                        + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            insert.setString(1, stored.id());
            insert.setInt(2, stored.version());
            insert.setString(3, stored.status());
            insert.setLong(4, stored.lastUpdated().toEpochMilli());
            insert.setString(5, stored.json());
            insert.setString(6, requestId);
            CallerColumns.bind(insert, 7, caller);
            insert.executeUpdate();
        }
    }

    private Optional<UnprocessableEntityException> duplicateOf(List<RegisteredIdentifier> identifiers) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement select = connection.prepareStatement(
                        "SELECT appointment_id FROM appointment_identifier WHERE flavour = ? AND id_system = ? AND id_value = ?")) {
            for (RegisteredIdentifier identifier : identifiers) {
                select.setString(1, flavour.column());
                select.setString(2, identifier.system());
                select.setString(3, identifier.value());
                try (ResultSet rows = select.executeQuery()) {
                    if (rows.next()) {
                        return Optional.of(new UnprocessableEntityException(IssueType.DUPLICATE,
                                SpineCode.DUPLICATE_REJECTED, "An appointment with identifier " + identifier
                                        + " is already registered (id " + rows.getString(1) + ")"));
                    }
                }
            }
            return Optional.empty();
        } catch (SQLException e) {
            throw new StoreException("could not look up a duplicate identifier", e);
        }
    }

    private OptionalInt currentVersion(String id) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement select = connection.prepareStatement(
                        "SELECT version FROM appointment WHERE id = ? AND flavour = ?")) {
            select.setString(1, id);
            select.setString(2, flavour.column());
            try (ResultSet rows = select.executeQuery()) {
                return rows.next() ? OptionalInt.of(rows.getInt(1)) : OptionalInt.empty();
            }
        } catch (SQLException e) {
            throw new StoreException("could not read the current version of an appointment", e);
        }
    }

    @FunctionalInterface
    private interface Binder {
        void bind(PreparedStatement statement) throws SQLException;
    }

    private Optional<StoredAppointment> queryOne(String sql, Binder binder) {
        List<StoredAppointment> found = query(sql, binder);
        return found.isEmpty() ? Optional.empty() : Optional.of(found.get(0));
    }

    private List<StoredAppointment> query(String sql, Binder binder) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement select = connection.prepareStatement(sql)) {
            binder.bind(select);
            List<StoredAppointment> found = new ArrayList<>();
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    found.add(toStored(rows));
                }
            }
            return found;
        } catch (SQLException e) {
            throw new StoreException("could not read appointments", e);
        }
    }

    private static StoredAppointment toStored(ResultSet rows) throws SQLException {
        return new StoredAppointment(
                rows.getString("id"),
                rows.getInt("version"),
                Instant.ofEpochMilli(rows.getLong("last_updated")),
                rows.getString("status"),
                rows.getString("resource"));
    }
}
