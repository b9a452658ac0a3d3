package uk.nhs.registry.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLTransactionRollbackException;
import java.sql.Types;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import javax.sql.DataSource;
import uk.nhs.registry.security.Caller;

/**
 * Expires appointments (CONTRACT §6), whatever their flavour: one batch per call, one transaction
 * per batch. Expiring deletes the appointment's rows in `appointment`, `appointment_identifier` and
 * `appointment_version` (so no resource or NHS number remains, and its identifiers can be registered
 * again) and leaves a tombstone in `expired_appointment` and one audit row.
 *
 * <p>Several instances on one database: the due rows are selected {@code FOR UPDATE SKIP LOCKED},
 * so a batch takes only rows nobody else holds (another instance's batch, a cancel in flight) and
 * never waits for them; a row another instance has expired is gone when its lock is released. The
 * tombstone's primary key is the last word: a second expiry of one id fails its batch rather than
 * count twice, and the batch is run again, without the rows the other run expired. The query has no ORDER BY on purpose: H2 applies FETCH FIRST before skipping
 * locked rows when the rows are sorted, and would then hand a second instance an empty batch.
 *
 * <p>HSQLDB, the embedded default, knows no SKIP LOCKED: there the rows are selected with a plain
 * {@code FOR UPDATE}, which waits for a cancel in flight but does not keep a second expiry run off
 * the same rows: under HSQLDB's MVCC both would select them, and the second run's tombstones would
 * collide with the first's. So on HSQLDB expiry batches take turns in this JVM. An embedded file
 * database is opened by one process only (HSQLDB's lock file), so that process's turns are every
 * batch on the database; its expiry job runs one batch at a time anyway, the turns matter where two
 * runs do meet (two pools in one JVM). Should two processes reach one HSQLDB server, a collision
 * is a lost race, run again like any other.
 */
public final class AppointmentExpiry {

    /** Recorded as the source of the audit rows of expiries. */
    public static final String ACTOR = "expiry";

    private static final Caller EXPIRY = Caller.feed(ACTOR);
    private static final String DUE = "SELECT id, flavour, version, created_millis FROM appointment WHERE ";
    private static final String LOCK_SOME = " FETCH FIRST ? ROWS ONLY FOR UPDATE SKIP LOCKED";
    private static final String LOCK_SOME_WAITING = " FETCH FIRST ? ROWS ONLY FOR UPDATE";
    private static final String HSQLDB = "HSQL Database Engine";

    /** Expiry batches on HSQLDB take turns: see the class comment. */
    private static final ReentrantLock HSQLDB_TURNS = new ReentrantLock();

    private final Transactions transactions;
    private final DataSource dataSource;
    private final Clock clock;
    private volatile Boolean hsqldb;

    public AppointmentExpiry(DataSource dataSource, Clock clock) {
        this.transactions = new Transactions(dataSource);
        this.dataSource = dataSource;
        this.clock = clock;
    }

    /**
     * What is due: appointments created at or before {@code created}, or whose end (start when
     * they have no end) is at or before {@code end}. An empty cutoff is a rule that is not set.
     */
    public record Cutoffs(Optional<Instant> created, Optional<Instant> end) {

        public boolean any() {
            return created.isPresent() || end.isPresent();
        }
    }

    /** How many appointments one batch expired, by flavour. */
    public record Expired(Map<Flavour, Integer> byFlavour) {

        public int total() {
            return byFlavour.values().stream().mapToInt(Integer::intValue).sum();
        }
    }

    /**
     * Expires at most {@code limit} due appointments in one transaction. Fewer than {@code limit}
     * means nothing more was due (or the rest is held by another instance) when it ran.
     *
     * @param runId recorded as the request id of the audit rows, to tie a run's rows together
     */
    public Expired expireDue(Cutoffs cutoffs, int limit, String runId) {
        if (!cutoffs.any()) {
            return new Expired(Map.of());
        }
        boolean takeTurns = false;
        try {
            takeTurns = isHsqldb();
            if (takeTurns) {
                HSQLDB_TURNS.lock();
            }
            return transactions.run(connection -> {
                List<Due> due = lockDue(connection, cutoffs, limit);
                if (due.isEmpty()) {
                    return new Expired(Map.of());
                }
                Instant now = Instant.ofEpochMilli(clock.millis());
                tombstones(connection, due, now);
                delete(connection, "DELETE FROM appointment_identifier WHERE appointment_id = ?", due);
                delete(connection, "DELETE FROM appointment_version WHERE id = ?", due);
                delete(connection, "DELETE FROM appointment WHERE id = ?", due);
                Map<Flavour, Integer> counts = new EnumMap<>(Flavour.class);
                for (Due row : due) {
                    AuditTrail.insert(connection, AuditEvent.expired(row.id(), row.version(), now, EXPIRY, runId));
                    counts.merge(row.flavour(), 1, Integer::sum);
                }
                return new Expired(counts);
            });
        } catch (SQLException e) {
            throw new StoreException("could not expire appointments", e);
        } finally {
            if (takeTurns) {
                HSQLDB_TURNS.unlock();
            }
        }
    }

    private boolean isHsqldb() throws SQLException {
        Boolean known = hsqldb;
        if (known == null) {
            try (Connection connection = dataSource.getConnection()) {
                known = HSQLDB.equals(connection.getMetaData().getDatabaseProductName());
            }
            hsqldb = known;
        }
        return known;
    }

    private record Due(String id, Flavour flavour, int version, Long createdMillis, List<String> identifiers) {
    }

    // One query per rule, each driven by its own index; the second leaves out what the first
    // rule covers, so that the two never return a row twice within the transaction.
    private static List<Due> lockDue(Connection connection, Cutoffs cutoffs, int limit) throws SQLException {
        String lock = HSQLDB.equals(connection.getMetaData().getDatabaseProductName()) ? LOCK_SOME_WAITING : LOCK_SOME;
        List<Due> due = new ArrayList<>();
        if (cutoffs.created().isPresent()) {
            try (PreparedStatement select = connection.prepareStatement(DUE + "created_millis <= ?" + lock)) {
                select.setLong(1, cutoffs.created().get().toEpochMilli());
                select.setInt(2, limit);
                collect(select, due);
            }
        }
        if (cutoffs.end().isPresent() && due.size() < limit) {
            String notByCreated = cutoffs.created().isPresent() ? " AND (created_millis IS NULL OR created_millis > ?)" : "";
            try (PreparedStatement select = connection.prepareStatement(DUE + "end_millis <= ?" + notByCreated + lock)) {
                int index = 1;
                select.setLong(index++, cutoffs.end().get().toEpochMilli());
                if (cutoffs.created().isPresent()) {
                    select.setLong(index++, cutoffs.created().get().toEpochMilli());
                }
                select.setInt(index, limit - due.size());
                collect(select, due);
            }
        }
        return withIdentifiers(connection, due);
    }

    private static void collect(PreparedStatement select, List<Due> due) throws SQLException {
        try (ResultSet rows = select.executeQuery()) {
            while (rows.next()) {
                long created = rows.getLong("created_millis");
                due.add(new Due(rows.getString("id"), Flavour.valueOf(rows.getString("flavour").toUpperCase(Locale.ROOT)),
                        rows.getInt("version"), rows.wasNull() ? null : created, List.of()));
            }
        }
    }

    private static List<Due> withIdentifiers(Connection connection, List<Due> due) throws SQLException {
        List<Due> complete = new ArrayList<>(due.size());
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT id_system, id_value FROM appointment_identifier WHERE appointment_id = ? ORDER BY id_system, id_value")) {
            for (Due row : due) {
                select.setString(1, row.id());
                List<String> identifiers = new ArrayList<>();
                try (ResultSet rows = select.executeQuery()) {
                    while (rows.next()) {
                        identifiers.add(rows.getString(1) + "|" + rows.getString(2));
                    }
                }
                complete.add(new Due(row.id(), row.flavour(), row.version(), row.createdMillis(), identifiers));
            }
        }
        return complete;
    }

    private static void tombstones(Connection connection, List<Due> due, Instant now) throws SQLException {
        try {
            insertTombstones(connection, due, now);
        } catch (SQLException e) {
            if (SqlErrors.isUniqueViolation(e)) {
                // Another run expired some of these rows first: rerun the batch (Transactions retries 40001).
                throw new SQLTransactionRollbackException("another expiry run took some of these appointments first",
                        "40001", e);
            }
            throw e;
        }
    }

    private static void insertTombstones(Connection connection, List<Due> due, Instant now) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement(
                "INSERT INTO expired_appointment (id, flavour, identifiers, created_millis, expired_at) VALUES (?, ?, ?, ?, ?)")) {
            for (Due row : due) {
                insert.setString(1, row.id());
                insert.setString(2, row.flavour().column());
                insert.setString(3, row.identifiers().isEmpty() ? null : String.join("\n", row.identifiers()));
                if (row.createdMillis() == null) {
                    insert.setNull(4, Types.BIGINT);
                } else {
                    insert.setLong(4, row.createdMillis());
                }
                insert.setLong(5, now.toEpochMilli());
                insert.addBatch();
            }
            insert.executeBatch();
        }
    }

    private static void delete(Connection connection, String sql, List<Due> due) throws SQLException {
        try (PreparedStatement delete = connection.prepareStatement(sql)) {
            for (Due row : due) {
                delete.setString(1, row.id());
                delete.addBatch();
            }
            delete.executeBatch();
        }
    }
}
