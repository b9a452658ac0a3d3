package uk.nhs.registry.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.TemporalAmount;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.hl7.fhir.dstu3.model.Appointment;
import org.hl7.fhir.dstu3.model.Appointment.AppointmentStatus;
import org.hl7.fhir.dstu3.model.Appointment.ParticipationStatus;
import org.hl7.fhir.dstu3.model.Identifier;
import org.hl7.fhir.dstu3.model.Reference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import uk.nhs.registry.Fhir;
import uk.nhs.registry.expiry.ExpirySettings;
import uk.nhs.registry.outcome.GoneException;
import uk.nhs.registry.outcome.SpineCode;
import uk.nhs.registry.security.Caller;
import uk.nhs.registry.testsupport.DatabaseScan;

/**
 * Expiry (CONTRACT §6) on a real database: which appointments each rule expires, what is left of
 * them, and that concurrent jobs expire each exactly once. The clock is fixed, so "due" is decided
 * by the appointments' dates alone.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class ExpiryContractIT {

    static final Instant NOW = Instant.parse("2030-06-01T12:00:00Z");
    static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    static final String SYSTEM = "https://fhir.example.nhs.uk/Id/appointment";
    static final String NHS = "9000000009";
    static final Caller CLINICIAN = Caller.http("https://auth.example.nhs.uk", "user-123", "A12345", "CN=client");

    protected RegistryDatabase database;
    private AppointmentStore store;
    private AppointmentExpiry expiry;

    protected abstract RegistryDatabase openDatabase() throws Exception;

    /** Another pool on the same database, as a second registry process would have. */
    protected abstract RegistryDatabase openSecondPool() throws Exception;

    /** A new, empty database nobody has migrated, as a plain DataSource. */
    protected abstract DataSource freshDataSource() throws Exception;

    protected void stopServer() throws Exception {
    }

    @BeforeAll
    void openStore() throws Exception {
        database = openDatabase();
        store = new AppointmentStore(database.dataSource(), Flavour.STU3, CLOCK);
        expiry = new AppointmentExpiry(database.dataSource(), CLOCK);
    }

    @AfterAll
    void closeStore() throws Exception {
        if (database != null) {
            database.close();
        }
        stopServer();
    }

    @BeforeEach
    void emptyTables() throws SQLException {
        for (String table : List.of("expired_appointment", "audit_event", "appointment_version", "appointment_identifier",
                "appointment")) {
            update("DELETE FROM " + table);
        }
    }

    // --- the rules ---

    @Test
    void afterCreatedExpiresWhatWasCreatedThatLongAgo() {
        String old = register(NHS, days(-401), days(10), days(10), "c-old");
        String recent = register(NHS, days(-399), days(10), days(10), "c-recent");

        assertThat(expireAll(rules(Duration.ofDays(400), null))).isEqualTo(1);

        assertExpired(old);
        assertThat(store.read(recent)).isPresent();
    }

    @Test
    void afterEndCountsFromTheEnd() {
        String ended = register(NHS, days(-100), days(-31), days(-31), "e-ended");
        String endedRecently = register(NHS, days(-100), days(-29), days(-29), "e-recent");
        // its start alone would be due: the end decides.
        String startedLongAgo = register(NHS, days(-100), days(-40), days(-29), "e-long");

        assertThat(expireAll(rules(null, Duration.ofDays(30)))).isEqualTo(1);

        assertExpired(ended);
        assertThat(store.read(endedRecently)).isPresent();
        assertThat(store.read(startedLongAgo)).isPresent();
    }

    @Test
    void withoutAnEndTheStartCounts() {
        String started = register(NHS, days(-100), days(-31), null, "s-old");
        String startedRecently = register(NHS, days(-100), days(-29), null, "s-recent");

        assertThat(expireAll(rules(null, Duration.ofDays(30)))).isEqualTo(1);

        assertExpired(started);
        assertThat(store.read(startedRecently)).isPresent();
    }

    @Test
    void withBothRulesWhicheverComesFirstExpires() throws SQLException {
        String byCreated = register(NHS, days(-401), days(10), days(10), "b-created");
        String byEnd = register(NHS, days(-10), days(-31), days(-31), "b-end");
        String byBoth = register(NHS, days(-401), days(-31), days(-31), "b-both");
        String byNeither = register(NHS, days(-10), days(10), days(10), "b-neither");

        assertThat(expireAll(rules(Duration.ofDays(400), Duration.ofDays(30)))).isEqualTo(3);

        assertExpired(byCreated);
        assertExpired(byEnd);
        assertExpired(byBoth);
        assertThat(store.read(byNeither)).isPresent();
        assertThat(count("SELECT COUNT(*) FROM expired_appointment")).isEqualTo(3);
        assertThat(count("SELECT COUNT(*) FROM audit_event WHERE interaction = 'delete'")).isEqualTo(3);
    }

    @Test
    void withNeitherRuleNothingExpires() throws SQLException {
        String ancient = register(NHS, days(-4000), days(-4000), days(-4000), "n-ancient");

        assertThat(expireAll(rules(null, null))).isZero();

        assertThat(store.read(ancient)).isPresent();
        assertThat(count("SELECT COUNT(*) FROM expired_appointment")).isZero();
    }

    @Test
    void aYearIsCountedOnTheCalendar() {
        String created = register(NHS, NOW.atZone(ZoneOffset.UTC).minusYears(1).toInstant(), days(10), days(10), "y-1");
        String notYet = register(NHS, NOW.atZone(ZoneOffset.UTC).minusYears(1).plusSeconds(1).toInstant(), days(10), days(10), "y-2");

        assertThat(expireAll(rules(java.time.Period.ofYears(1), null))).isEqualTo(1);

        assertExpired(created);
        assertThat(store.read(notYet)).isPresent();
    }

    // --- what expiry leaves ---

    @Test
    void anExpiredAppointmentLeavesATombstoneAnAuditRowAndNoPatientData() throws SQLException {
        String nhs = "9000000017";
        Appointment appointment = appointment(nhs, days(-401), days(10), days(10), "t-1", "t-2");
        StoredAppointment registered = store.register(appointment, nhs, CLINICIAN, "req-1");
        Appointment cancelled = registered.resource();
        cancelled.setStatus(AppointmentStatus.CANCELLED);
        store.cancel(registered.id(), 1, cancelled, CLINICIAN, "req-2");
        String id = registered.id();

        assertThat(expireAll(rules(Duration.ofDays(400), null))).isEqualTo(1);

        for (String table : List.of("appointment WHERE id = ?", "appointment_version WHERE id = ?",
                "appointment_identifier WHERE appointment_id = ?")) {
            assertThat(count("SELECT COUNT(*) FROM " + table, id)).as(table).isZero();
        }
        try (Connection connection = database.dataSource().getConnection()) {
            assertThat(DatabaseScan.tables(connection)).contains("appointment", "appointment_version", "audit_event",
                    "expired_appointment");
            assertThat(DatabaseScan.columnsContaining(connection, nhs)).isEmpty();
        }
        assertThat(rows("SELECT flavour, identifiers, created_millis, expired_at FROM expired_appointment WHERE id = ?", id))
                .containsExactly(List.of("stu3", SYSTEM + "|t-1\n" + SYSTEM + "|t-2",
                        Long.toString(days(-401).toEpochMilli()), Long.toString(NOW.toEpochMilli())));
        assertThat(rows("SELECT interaction, appointment_version, outcome_status, spine_code, source, token_subject,"
                + " certificate_subject FROM audit_event WHERE appointment_id = ? AND interaction = 'delete'", id))
                .containsExactly(java.util.Arrays.asList("delete", "2", "200", SpineCode.RESOURCE_DELETED.code(),
                        AppointmentExpiry.ACTOR, null, null));

        assertThat(store.expiredAt(id)).contains(NOW);
        assertThat(store.history(id)).isEmpty();
        assertThat(store.readVersion(id, 1)).isEmpty();
        assertThat(store.search(AppointmentQuery.forPatient(nhs))).isEmpty();
        assertThatThrownBy(() -> store.cancel(id, 2, cancelled, CLINICIAN, "req-3"))
                .isInstanceOfSatisfying(GoneException.class, e -> assertThat(e.status()).isEqualTo(410));

        // the identifier may be registered again, under a new id
        StoredAppointment again = store.register(appointment(nhs, days(-1), days(10), days(10), "t-1"), nhs, CLINICIAN, "req-4");
        assertThat(again.id()).isNotEqualTo(id);
        assertThat(store.read(again.id())).isPresent();
    }

    @Test
    void tombstonesBelongToTheirFlavour() {
        String stu3 = register(NHS, days(-401), days(10), days(10), "f-stu3");
        String r4 = new AppointmentStore(database.dataSource(), Flavour.R4, CLOCK)
                .register(new R4Row("Patient/123", days(-401), days(10), "f-r4"), CLINICIAN, "req").id();

        AppointmentExpiry.Expired expired = expiry.expireDue(rules(Duration.ofDays(400), null).cutoffs(CLOCK), 500, "run");

        assertThat(expired.byFlavour()).containsEntry(Flavour.STU3, 1).containsEntry(Flavour.R4, 1);
        AppointmentStore r4Store = new AppointmentStore(database.dataSource(), Flavour.R4, CLOCK);
        assertThat(r4Store.expiredAt(r4)).contains(NOW);
        assertThat(store.expiredAt(r4)).isEmpty();
        assertThat(r4Store.expiredAt(stu3)).isEmpty();
        assertThat(store.expiredAt(stu3)).contains(NOW);
    }

    @Test
    void eachBatchIsBoundedByItsSize() {
        for (int i = 0; i < 5; i++) {
            register(NHS, days(-401), days(10), days(10), "batch-" + i);
        }
        ExpirySettings rules = rules(Duration.ofDays(400), null);
        List<Integer> batches = new ArrayList<>();
        int expired;
        do {
            expired = expiry.expireDue(rules.cutoffs(CLOCK), 2, "run").total();
            batches.add(expired);
        } while (expired == 2);

        assertThat(batches).containsExactly(2, 2, 1);
    }

    @Test
    void anAppointmentAlreadyDueIsRegisteredAndExpiresAtTheNextRun() {
        // the write path knows nothing of expiry
        String due = register(NHS, days(-4000), days(-4000), days(-4000), "due-at-once");
        assertThat(store.read(due)).isPresent();

        expireAll(rules(Duration.ofDays(400), Duration.ofDays(30)));

        assertExpired(due);
    }

    // --- several jobs on one database ---

    @Test
    void concurrentJobsOnTwoPoolsExpireEachAppointmentExactlyOnce() throws Exception {
        int backlog = 2_000;
        seed(backlog);
        ExpirySettings rules = rules(Duration.ofDays(400), Duration.ofDays(30));
        try (RegistryDatabase second = openSecondPool()) {
            List<AppointmentExpiry> jobs = List.of(expiry, new AppointmentExpiry(second.dataSource(), CLOCK),
                    expiry, new AppointmentExpiry(second.dataSource(), CLOCK));
            ExecutorService threads = Executors.newFixedThreadPool(jobs.size());
            try {
                List<Future<Integer>> runs = new ArrayList<>();
                for (AppointmentExpiry job : jobs) {
                    Callable<Integer> run = () -> {
                        int total = 0;
                        int batch;
                        do {
                            batch = job.expireDue(rules.cutoffs(CLOCK), 50, "run").total();
                            total += batch;
                        } while (batch == 50);
                        return total;
                    };
                    runs.add(threads.submit(run));
                }
                int sum = 0;
                for (Future<Integer> run : runs) {
                    sum += run.get();
                }
                assertThat(sum).isEqualTo(backlog);
            } finally {
                threads.shutdownNow();
            }
        }
        assertThat(count("SELECT COUNT(*) FROM appointment")).isZero();
        assertThat(count("SELECT COUNT(*) FROM appointment_version")).isZero();
        assertThat(count("SELECT COUNT(*) FROM expired_appointment")).isEqualTo(backlog);
        assertThat(count("SELECT COUNT(*) FROM audit_event WHERE interaction = 'delete'")).isEqualTo(backlog);
        assertThat(count("SELECT COUNT(DISTINCT appointment_id) FROM audit_event WHERE interaction = 'delete'")).isEqualTo(backlog);
    }

    // --- V6: rows written before V5 ---

    @Test
    void rowsWrittenBeforeV5GetTheirCreatedAndEndFromTheStoredResource() throws Exception {
        DataSource fresh = freshDataSource();
        Flyway.configure(RegistryDatabase.class.getClassLoader()).dataSource(fresh).locations(RegistryDatabase.MIGRATIONS)
                .target("5").load().migrate();
        Appointment withEnd = appointment(NHS, days(-401), days(10), days(11), "v6-end");
        Appointment withoutEnd = appointment(NHS, days(-300), days(12), null, "v6-start");
        try (Connection connection = fresh.getConnection();
                PreparedStatement insert = connection.prepareStatement("INSERT INTO appointment (id, version, status,"
                        + " nhs_number, start_millis, last_updated, resource) VALUES (?, 1, 'booked', ?, ?, 0, ?)")) {
            for (Object[] row : new Object[][] {{"old-1", withEnd}, {"old-2", withoutEnd}}) {
                Appointment appointment = (Appointment) row[1];
                insert.setString(1, (String) row[0]);
                insert.setString(2, NHS);
                insert.setLong(3, appointment.getStart().getTime());
                insert.setString(4, Fhir.context().newJsonParser().encodeResourceToString(appointment));
                insert.executeUpdate();
            }
        }

        RegistryDatabase.borrowed(fresh);

        try (Connection connection = fresh.getConnection();
                PreparedStatement select = connection.prepareStatement(
                        "SELECT id, created_millis, end_millis FROM appointment ORDER BY id");
                ResultSet rows = select.executeQuery()) {
            List<String> found = new ArrayList<>();
            while (rows.next()) {
                found.add(rows.getString(1) + " " + rows.getLong(2) + " " + rows.getLong(3));
            }
            assertThat(found).containsExactly(
                    "old-1 " + days(-401).toEpochMilli() + " " + days(11).toEpochMilli(),
                    "old-2 " + days(-300).toEpochMilli() + " " + days(12).toEpochMilli());
        }
    }

    // --- helpers ---

    private static ExpirySettings rules(TemporalAmount afterCreated, TemporalAmount afterEnd) {
        return new ExpirySettings(Optional.ofNullable(afterCreated), Optional.ofNullable(afterEnd), Duration.ofMinutes(15), 500);
    }

    private int expireAll(ExpirySettings rules) {
        int total = 0;
        int batch;
        do {
            batch = expiry.expireDue(rules.cutoffs(CLOCK), rules.batchSize(), "run").total();
            total += batch;
        } while (batch == rules.batchSize());
        return total;
    }

    private void assertExpired(String id) {
        assertThat(store.read(id)).as("read of %s", id).isEmpty();
        assertThat(store.expiredAt(id)).as("tombstone of %s", id).contains(NOW);
    }

    private static Instant days(int days) {
        return NOW.plus(Duration.ofDays(days));
    }

    private String register(String nhs, Instant created, Instant start, Instant end, String identifier) {
        return store.register(appointment(nhs, created, start, end, identifier), nhs, CLINICIAN, "req").id();
    }

    static Appointment appointment(String nhs, Instant created, Instant start, Instant end, String... identifiers) {
        Appointment appointment = new Appointment();
        appointment.setStatus(AppointmentStatus.BOOKED);
        appointment.setCreated(Date.from(created));
        appointment.setStart(Date.from(start));
        if (end != null) {
            appointment.setEnd(Date.from(end));
        }
        for (String value : identifiers) {
            appointment.addIdentifier(new Identifier().setSystem(SYSTEM).setValue(value));
        }
        appointment.addParticipant()
                .setActor(new Reference().setIdentifier(new Identifier().setSystem("https://fhir.nhs.uk/Id/nhs-number").setValue(nhs)))
                .setStatus(ParticipationStatus.ACCEPTED);
        return appointment;
    }

    /** Due appointments written straight into the tables, in one transaction, as a backlog. */
    private void seed(int n) throws SQLException {
        try (Connection connection = database.dataSource().getConnection();
                PreparedStatement current = connection.prepareStatement("INSERT INTO appointment (id, version, status,"
                        + " nhs_number, start_millis, last_updated, resource, created_millis, end_millis)"
                        + " VALUES (?, 1, 'booked', ?, ?, 0, '{}', ?, ?)");
                PreparedStatement version = connection.prepareStatement("INSERT INTO appointment_version (id, version,"
                        + " status, last_updated, resource) VALUES (?, 1, 'booked', 0, '{}')");
                PreparedStatement identifier = connection.prepareStatement("INSERT INTO appointment_identifier"
                        + " (flavour, id_system, id_value, appointment_id) VALUES ('stu3', ?, ?, ?)")) {
            connection.setAutoCommit(false);
            for (int i = 0; i < n; i++) {
                String id = "seed-" + i;
                current.setString(1, id);
                current.setString(2, NHS);
                current.setLong(3, days(-40).toEpochMilli());
                // due by created (even i), by end (i % 3 == 0) or by both; the rest by end alone
                boolean byCreated = i % 2 == 0;
                boolean byEnd = i % 3 == 0 || !byCreated;
                current.setLong(4, (byCreated ? days(-500) : days(-10)).toEpochMilli());
                current.setLong(5, (byEnd ? days(-40) : days(10)).toEpochMilli());
                current.addBatch();
                version.setString(1, id);
                version.addBatch();
                identifier.setString(1, SYSTEM);
                identifier.setString(2, id);
                identifier.setString(3, id);
                identifier.addBatch();
            }
            current.executeBatch();
            version.executeBatch();
            identifier.executeBatch();
            connection.commit();
        }
    }

    private void update(String sql) throws SQLException {
        try (Connection connection = database.dataSource().getConnection();
                PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.executeUpdate();
        }
    }

    private long count(String sql, Object... parameters) throws SQLException {
        return Long.parseLong(rows(sql, parameters).get(0).get(0));
    }

    private List<List<String>> rows(String sql, Object... parameters) throws SQLException {
        try (Connection connection = database.dataSource().getConnection();
                PreparedStatement select = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                select.setObject(i + 1, parameters[i]);
            }
            List<List<String>> found = new ArrayList<>();
            try (ResultSet rows = select.executeQuery()) {
                int columns = rows.getMetaData().getColumnCount();
                while (rows.next()) {
                    List<String> row = new ArrayList<>();
                    for (int c = 1; c <= columns; c++) {
                        row.add(rows.getString(c));
                    }
                    found.add(row);
                }
            }
            return found;
        }
    }

    /** An R4 appointment as the medTech flavour would hand it to the store: a patient by reference. */
    private record R4Row(String patient, Instant created, Instant start, String identifier) implements StorableAppointment {
        @Override
        public String status() {
            return "booked";
        }

        @Override
        public String nhsNumber() {
            return null;
        }

        @Override
        public String patientReference() {
            return patient;
        }

        @Override
        public Long startMillis() {
            return start.toEpochMilli();
        }

        @Override
        public Long endMillis() {
            return start.toEpochMilli();
        }

        @Override
        public Long createdMillis() {
            return created.toEpochMilli();
        }

        @Override
        public List<RegisteredIdentifier> identifiers() {
            return List.of(RegisteredIdentifier.checked(SYSTEM, identifier));
        }

        @Override
        public String stampedJson(String id, int version, Instant lastUpdated) {
            return "{\"resourceType\":\"Appointment\",\"id\":\"" + id + "\"}";
        }
    }
}
