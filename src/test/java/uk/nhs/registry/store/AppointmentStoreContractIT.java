package uk.nhs.registry.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static uk.nhs.registry.store.TestAppointments.CLINICIAN;
import static uk.nhs.registry.store.TestAppointments.FEED;
import static uk.nhs.registry.store.TestAppointments.SYSTEM;
import static uk.nhs.registry.store.TestAppointments.booked;
import static uk.nhs.registry.store.TestAppointments.cancelled;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import javax.sql.DataSource;
import org.hl7.fhir.dstu3.model.Appointment;
import org.hl7.fhir.dstu3.model.Appointment.AppointmentStatus;
import org.hl7.fhir.dstu3.model.Identifier;
import org.hl7.fhir.dstu3.model.OperationOutcome.IssueType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import uk.nhs.registry.outcome.ResourceNotFoundException;
import uk.nhs.registry.outcome.SpineCode;
import uk.nhs.registry.outcome.UnprocessableEntityException;
import uk.nhs.registry.outcome.VersionConflictException;
import uk.nhs.registry.store.Concurrently.Outcome;

/**
 * What the store promises, whatever the database. Each subclass runs it against one database
 * product; assertions check the rows themselves, not only what the store returns.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class AppointmentStoreContractIT {

    static final String NHS_A = "9000000009";
    static final String NHS_B = "9000000017";
    static final Instant T1 = Instant.parse("2030-01-01T09:00:00Z");
    static final Instant T2 = Instant.parse("2030-01-02T09:00:00Z");
    static final Instant T3 = Instant.parse("2030-01-03T09:00:00Z");

    protected RegistryDatabase database;
    protected AppointmentStore store;

    /** The database this class's tests share, migrated, with a pool of at least 12. */
    protected abstract RegistryDatabase openDatabase() throws Exception;

    /** Another pool on the same database, as a second registry process would have. */
    protected abstract RegistryDatabase openSecondPool() throws Exception;

    /** A new database nobody has migrated yet. */
    protected abstract RegistryDatabase openEmptyDatabase() throws Exception;

    protected void stopServer() throws Exception {
    }

    @BeforeAll
    void openStore() throws Exception {
        database = openDatabase();
        store = new AppointmentStore(database.dataSource());
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
        // Prepared statements: on an embedded H2 database only those are written to its commit log.
        try (Connection connection = database.dataSource().getConnection()) {
            for (String table : List.of("appointment_version", "appointment_identifier", "appointment")) {
                try (PreparedStatement delete = connection.prepareStatement("DELETE FROM " + table)) {
                    delete.executeUpdate();
                }
            }
        }
    }

    // --- migrations ---

    @Test
    void migratesAnEmptyDatabaseAndMigratingAgainChangesNothing() throws Exception {
        try (RegistryDatabase empty = openEmptyDatabase()) {
            DataSource dataSource = empty.dataSource();
            assertThat(rows(dataSource, "SELECT \"version\", \"success\" FROM \"flyway_schema_history\""
                    + " WHERE \"version\" IS NOT NULL"))
                    .extracting(row -> row.get(0) + ":" + row.get(1))
                    // Later issues add their own migrations (V2 ingest, ...): all must have applied.
                    .startsWith("1:true")
                    .allSatisfy(row -> assertThat(row).endsWith(":true"));
            for (String table : List.of("appointment", "appointment_identifier", "appointment_version")) {
                assertThat(count(dataSource, "SELECT COUNT(*) FROM " + table)).isZero();
            }
            StoredAppointment stored = new AppointmentStore(dataSource).register(booked(NHS_A, T1, "m-1"), NHS_A, FEED, "r");
            assertThat(new AppointmentStore(dataSource).read(stored.id())).contains(stored);
        }
    }

    @Test
    void indexesEachColumnListOfTheIdentifierTableOnce() throws Exception {
        // Every index is written on every registration: a duplicate only costs (V4 removed H2's extra one).
        List<List<String>> indexed = new ArrayList<>();
        try (Connection connection = database.dataSource().getConnection()) {
            DatabaseMetaData metaData = connection.getMetaData();
            String table = metaData.storesUpperCaseIdentifiers() ? "APPOINTMENT_IDENTIFIER" : "appointment_identifier";
            Map<String, List<String>> columnsByIndex = new TreeMap<>();
            try (ResultSet index = metaData.getIndexInfo(null, null, table, false, false)) {
                while (index.next()) {
                    if (index.getString("COLUMN_NAME") != null) {
                        columnsByIndex.computeIfAbsent(index.getString("INDEX_NAME"), name -> new ArrayList<>())
                                .add(index.getString("COLUMN_NAME").toLowerCase(Locale.ROOT));
                    }
                }
            }
            indexed.addAll(columnsByIndex.values());
        }
        assertThat(indexed).containsExactlyInAnyOrder(
                List.of("flavour", "id_system", "id_value"), List.of("appointment_id"), List.of("id_value"));
    }

    // --- register and read ---

    @Test
    void registersVersionOneAndReadsItBack() throws Exception {
        Appointment appointment = booked(NHS_A, T1, "a-1", "a-2");

        StoredAppointment stored = store.register(appointment, NHS_A, CLINICIAN, "req-1");

        assertThat(stored.version()).isEqualTo(1);
        assertThat(stored.status()).isEqualTo("booked");
        assertThat(stored.lastUpdated().getNano() % 1_000_000).isZero();
        Appointment resource = stored.resource();
        assertThat(resource.getIdElement().getIdPart()).isEqualTo(stored.id());
        assertThat(resource.getMeta().getVersionId()).isEqualTo("1");
        assertThat(resource.getMeta().getLastUpdated().toInstant()).isEqualTo(stored.lastUpdated());
        assertThat(resource.getIdentifier()).extracting(Identifier::getValue).containsExactly("a-1", "a-2");
        assertThat(appointment.hasId()).as("the caller's resource is not modified").isFalse();
        assertThat(appointment.getMeta().hasVersionId()).isFalse();

        assertThat(store.read(stored.id())).contains(stored);
        assertThat(store.readVersion(stored.id(), 1)).contains(stored);
        assertThat(store.readVersion(stored.id(), 2)).isEmpty();
        assertThat(store.read("no-such-id")).isEmpty();

        assertThat(rows(database.dataSource(),
                "SELECT id, version, status, nhs_number, start_millis, last_updated FROM appointment"))
                .containsExactly(List.of(stored.id(), 1, "booked", NHS_A, T1.toEpochMilli(),
                        stored.lastUpdated().toEpochMilli()));
        assertThat(rows(database.dataSource(),
                "SELECT id_system, id_value, appointment_id FROM appointment_identifier ORDER BY id_value"))
                .containsExactly(List.of(SYSTEM, "a-1", stored.id()), List.of(SYSTEM, "a-2", stored.id()));
        assertThat(count(database.dataSource(), "SELECT COUNT(*) FROM appointment_version")).isEqualTo(1);
    }

    @Test
    void storesAnAppointmentWithoutStart() {
        StoredAppointment stored = store.register(booked(NHS_A, null, "no-start"), NHS_A, FEED, "r");

        assertThat(store.read(stored.id())).contains(stored);
    }

    // --- identifiers ---

    @Test
    void rejectsASecondRegistrationOfAnyOfTheIdentifiers() throws Exception {
        StoredAppointment first = store.register(booked(NHS_A, T1, "d-1", "d-2"), NHS_A, FEED, "r1");

        assertThatThrownBy(() -> store.register(booked(NHS_B, T2, "d-0", "d-2"), NHS_B, FEED, "r2"))
                .isInstanceOfSatisfying(UnprocessableEntityException.class, e -> {
                    assertThat(e.status()).isEqualTo(422);
                    assertThat(e.issues().get(0).type()).isEqualTo(IssueType.DUPLICATE);
                    assertThat(e.spineCode()).isEqualTo(SpineCode.DUPLICATE_REJECTED);
                    assertThat(e.getMessage()).isEqualTo("An appointment with identifier " + SYSTEM
                            + "|d-2 is already registered (id " + first.id() + ")");
                });

        assertThat(count(database.dataSource(), "SELECT COUNT(*) FROM appointment")).isEqualTo(1);
        assertThat(count(database.dataSource(), "SELECT COUNT(*) FROM appointment_version")).isEqualTo(1);
        assertThat(rows(database.dataSource(), "SELECT id_value FROM appointment_identifier ORDER BY id_value"))
                .containsExactly(List.of("d-1"), List.of("d-2"));
    }

    @Test
    void theSameIdentifierTwiceInOneAppointmentIsRegisteredOnce() throws Exception {
        StoredAppointment stored = store.register(booked(NHS_A, T1, "twice", "twice"), NHS_A, FEED, "r");

        assertThat(rows(database.dataSource(), "SELECT appointment_id FROM appointment_identifier"))
                .containsExactly(List.of(stored.id()));
    }

    @Test
    void identifiersUpToTheLimitAreStoredAndLongerOnesAreRefusedAsInvalid() throws Exception {
        Appointment longest = booked(NHS_A, T1);
        longest.addIdentifier(new Identifier().setSystem("s".repeat(1024)).setValue("v".repeat(1024)));
        store.register(longest, NHS_A, FEED, "r");
        assertThat(store.search(AppointmentQuery.forIdentifier("s".repeat(1024), "v".repeat(1024)))).hasSize(1);

        Appointment tooLong = booked(NHS_A, T1, "x".repeat(1025));
        assertThatThrownBy(() -> store.register(tooLong, NHS_A, FEED, "r"))
                .isInstanceOfSatisfying(UnprocessableEntityException.class, e -> {
                    assertThat(e.issues().get(0).type()).isEqualTo(IssueType.VALUE);
                    assertThat(e.spineCode()).isEqualTo(SpineCode.INVALID_IDENTIFIER_VALUE);
                });
        // 400 three-byte characters: short in characters, too long for the index in bytes.
        Appointment multiByte = booked(NHS_A, T1, "\u20ac".repeat(400));
        assertThatThrownBy(() -> store.register(multiByte, NHS_A, FEED, "r"))
                .isInstanceOf(UnprocessableEntityException.class);
        Appointment longSystem = booked(NHS_A, T1);
        longSystem.addIdentifier(new Identifier().setSystem("s".repeat(1025)).setValue("v"));
        assertThatThrownBy(() -> store.register(longSystem, NHS_A, FEED, "r"))
                .isInstanceOfSatisfying(UnprocessableEntityException.class,
                        e -> assertThat(e.spineCode()).isEqualTo(SpineCode.INVALID_IDENTIFIER_SYSTEM));

        assertThat(count(database.dataSource(), "SELECT COUNT(*) FROM appointment")).isEqualTo(1);
    }

    @Test
    void tenConcurrentRegistrationsOfOneIdentifierStoreExactlyOne() throws Exception {
        List<Outcome<StoredAppointment>> outcomes = Concurrently.run(10,
                i -> () -> store.register(booked(NHS_A, T1, "own-" + i, "shared"), NHS_A, FEED, "r" + i));

        List<StoredAppointment> winners = successes(outcomes);
        assertThat(winners).hasSize(1);
        assertThat(failures(outcomes)).hasSize(9).allSatisfy(failure -> assertThat(failure)
                .isInstanceOfSatisfying(UnprocessableEntityException.class, e -> {
                    assertThat(e.spineCode()).isEqualTo(SpineCode.DUPLICATE_REJECTED);
                    assertThat(e.getMessage()).contains("|shared is already registered (id " + winners.get(0).id());
                }));
        assertThat(rows(database.dataSource(), "SELECT id FROM appointment"))
                .containsExactly(List.of(winners.get(0).id()));
        assertThat(count(database.dataSource(), "SELECT COUNT(*) FROM appointment_identifier")).isEqualTo(2);
        assertThat(count(database.dataSource(), "SELECT COUNT(*) FROM appointment_version")).isEqualTo(1);
    }

    // --- cancel ---

    @Test
    void cancelStoresVersionTwoAndKeepsVersionOne() throws Exception {
        StoredAppointment v1 = store.register(booked(NHS_A, T1, "c-1"), NHS_A, CLINICIAN, "req-1");

        StoredAppointment v2 = store.cancel(v1.id(), 1, cancelled(v1), CLINICIAN, "req-2");

        assertThat(v2.id()).isEqualTo(v1.id());
        assertThat(v2.version()).isEqualTo(2);
        assertThat(v2.status()).isEqualTo("cancelled");
        assertThat(v2.resource().getMeta().getVersionId()).isEqualTo("2");
        assertThat(v2.resource().getDescription()).isEqualTo("Cancelled by the patient");
        assertThat(store.read(v1.id())).contains(v2);
        assertThat(store.readVersion(v1.id(), 1)).contains(v1);
        assertThat(store.readVersion(v1.id(), 1).orElseThrow().resource().getStatus())
                .isEqualTo(AppointmentStatus.BOOKED);
        assertThat(store.readVersion(v1.id(), 2)).contains(v2);
        assertThat(rows(database.dataSource(), "SELECT version, status FROM appointment"))
                .containsExactly(List.of(2, "cancelled"));
        assertThat(rows(database.dataSource(), "SELECT version, status FROM appointment_version ORDER BY version"))
                .containsExactly(List.of(1, "booked"), List.of(2, "cancelled"));
    }

    @Test
    void cancelOfAnUnknownIdIsNotFound() throws Exception {
        assertThatThrownBy(() -> store.cancel("missing", 1, booked(NHS_A, T1), FEED, "r"))
                .isInstanceOfSatisfying(ResourceNotFoundException.class, e -> {
                    assertThat(e.status()).isEqualTo(404);
                    assertThat(e.issues().get(0).type()).isEqualTo(IssueType.NOTFOUND);
                    assertThat(e.spineCode()).isEqualTo(SpineCode.NO_RECORD_FOUND);
                    assertThat(e.getMessage()).isEqualTo("No appointment with id missing is registered.");
                });
        assertThat(count(database.dataSource(), "SELECT COUNT(*) FROM appointment_version")).isZero();
    }

    @Test
    void cancelOfAnOldVersionIsAConflictAndChangesNothing() throws Exception {
        StoredAppointment v1 = store.register(booked(NHS_A, T1, "c-2"), NHS_A, FEED, "r1");
        StoredAppointment v2 = store.cancel(v1.id(), 1, cancelled(v1), FEED, "r2");

        assertThatThrownBy(() -> store.cancel(v1.id(), 1, cancelled(v1), FEED, "r3"))
                .isInstanceOfSatisfying(VersionConflictException.class, e -> {
                    assertThat(e.status()).isEqualTo(409);
                    assertThat(e.issues().get(0).type()).isEqualTo(IssueType.CONFLICT);
                    assertThat(e.spineCode()).isEqualTo(SpineCode.FHIR_CONSTRAINT_VIOLATION);
                    assertThat(e.getMessage()).isEqualTo("Version 1 is not the current version (2) of Appointment/"
                            + v1.id() + "; read it again and retry");
                });
        assertThat(store.read(v1.id())).contains(v2);
        assertThat(count(database.dataSource(), "SELECT COUNT(*) FROM appointment_version")).isEqualTo(2);
    }

    @Test
    void twelveConcurrentCancelsOfOneVersionHaveOneWinner() throws Exception {
        StoredAppointment v1 = store.register(booked(NHS_A, T1, "race-1"), NHS_A, FEED, "r");

        List<Outcome<StoredAppointment>> outcomes = Concurrently.run(12,
                i -> () -> store.cancel(v1.id(), 1, cancelled(v1), FEED, "cancel-" + i));

        assertOneWinner(v1, outcomes);
    }

    @Test
    void twelveConcurrentCancelsThroughTwoPoolsHaveOneWinner() throws Exception {
        StoredAppointment v1 = store.register(booked(NHS_A, T1, "race-2"), NHS_A, FEED, "r");
        try (RegistryDatabase second = openSecondPool()) {
            AppointmentStore other = new AppointmentStore(second.dataSource());

            List<Outcome<StoredAppointment>> outcomes = Concurrently.run(12,
                    i -> () -> (i % 2 == 0 ? store : other).cancel(v1.id(), 1, cancelled(v1), FEED, "cancel-" + i));

            assertOneWinner(v1, outcomes);
        }
    }

    private void assertOneWinner(StoredAppointment v1, List<Outcome<StoredAppointment>> outcomes) throws SQLException {
        List<StoredAppointment> winners = successes(outcomes);
        assertThat(winners).hasSize(1);
        assertThat(failures(outcomes)).hasSize(11)
                .allSatisfy(failure -> assertThat(failure).isInstanceOf(VersionConflictException.class));
        assertThat(store.read(v1.id())).contains(winners.get(0));
        assertThat(rows(database.dataSource(), "SELECT version FROM appointment_version ORDER BY version"))
                .containsExactly(List.of(1), List.of(2));
    }

    // --- audit ---

    @Test
    void versionRowsRecordWhoWroteThemAndTheRequest() throws Exception {
        StoredAppointment v1 = store.register(booked(NHS_A, T1, "audit-1"), NHS_A, CLINICIAN, "req-register");
        store.cancel(v1.id(), 1, cancelled(v1), FEED, "req-cancel");

        assertThat(rows(database.dataSource(), "SELECT version, request_id, actor_issuer, actor_subject,"
                + " actor_organisation, actor_certificate, actor_source FROM appointment_version ORDER BY version"))
                .containsExactly(
                        List.of(1, "req-register", "https://auth.example.nhs.uk", "user-123", "A12345",
                                "CN=client.example", "http"),
                        listOf(2, "req-cancel", null, null, null, null, "pas-feed"));
    }

    // --- search ---

    @Test
    void searchFiltersByEachCriterionAndOrdersByStartThenId() throws Exception {
        StoredAppointment a3 = store.register(booked(NHS_A, T3, "s-a3"), NHS_A, FEED, "r");
        StoredAppointment a1 = store.register(booked(NHS_A, T1, "s-a1"), NHS_A, FEED, "r");
        StoredAppointment aNone = store.register(booked(NHS_A, null, "s-a0"), NHS_A, FEED, "r");
        StoredAppointment a2x = store.register(booked(NHS_A, T2, "s-a2x"), NHS_A, FEED, "r");
        StoredAppointment a2y = store.register(booked(NHS_A, T2, "s-a2y"), NHS_A, FEED, "r");
        StoredAppointment b2 = store.register(booked(NHS_B, T2, "s-b2"), NHS_B, FEED, "r");
        StoredAppointment a3cancelled = store.cancel(a3.id(), 1, cancelled(a3), FEED, "r");
        List<StoredAppointment> sameStart = a2x.id().compareTo(a2y.id()) < 0 ? List.of(a2x, a2y) : List.of(a2y, a2x);

        assertThat(store.search(AppointmentQuery.forPatient(NHS_A)))
                .containsExactly(a1, sameStart.get(0), sameStart.get(1), a3cancelled, aNone);
        assertThat(store.search(AppointmentQuery.forPatient(NHS_B))).containsExactly(b2);
        assertThat(store.search(new AppointmentQuery(NHS_A, null, null, "cancelled", null, null)))
                .containsExactly(a3cancelled);
        assertThat(store.search(new AppointmentQuery(NHS_A, null, null, "booked", null, null)))
                .containsExactly(a1, sameStart.get(0), sameStart.get(1), aNone);
        assertThat(store.search(new AppointmentQuery(NHS_A, null, null, null, T2.toEpochMilli(), null)))
                .containsExactly(sameStart.get(0), sameStart.get(1), a3cancelled);
        assertThat(store.search(new AppointmentQuery(NHS_A, null, null, null, null, T2.toEpochMilli())))
                .containsExactly(a1);
        assertThat(store.search(new AppointmentQuery(null, null, null, null, T2.toEpochMilli(), T3.toEpochMilli())))
                .containsExactlyInAnyOrder(a2x, a2y, b2);
        assertThat(store.search(AppointmentQuery.forIdentifier(SYSTEM, "s-b2"))).containsExactly(b2);
        assertThat(store.search(AppointmentQuery.forIdentifier(null, "s-a1"))).containsExactly(a1);
        assertThat(store.search(AppointmentQuery.forIdentifier("https://other.example/system", "s-a1"))).isEmpty();
        assertThat(store.search(new AppointmentQuery(NHS_B, SYSTEM, "s-a1", null, null, null))).isEmpty();
        assertThat(store.search(AppointmentQuery.forPatient("' OR '1'='1"))).isEmpty();
    }

    // --- history and flavours ---

    @Test
    void historyListsEveryVersionNewestFirst() {
        StoredAppointment v1 = store.register(booked(NHS_A, T1, "h-1"), NHS_A, FEED, "r");
        StoredAppointment v2 = store.cancel(v1.id(), 1, cancelled(v1), FEED, "c");
        assertThat(store.history(v1.id())).containsExactly(v2, v1);
        assertThat(store.history("no-such-id")).isEmpty();
    }

    /** CONTRACT §7: an appointment registered through one flavour is invisible through the other. */
    @Test
    void eachFlavourSeesOnlyItsOwnAppointmentsAndIdentifiers() throws Exception {
        AppointmentStore r4 = new AppointmentStore(database.dataSource(), Flavour.R4);
        StoredAppointment nhs = store.register(booked(NHS_A, T1, "shared-1"), NHS_A, FEED, "r");
        // the same identifier is not a duplicate in the other flavour
        StoredAppointment nz = r4.register(new Stu3Appointment(booked(NHS_A, T1, "shared-1"), NHS_A), FEED, "r");

        assertThat(store.read(nz.id())).isEmpty();
        assertThat(r4.read(nhs.id())).isEmpty();
        assertThat(store.readVersion(nz.id(), 1)).isEmpty();
        assertThat(r4.history(nhs.id())).isEmpty();
        assertThat(store.search(AppointmentQuery.forIdentifier(SYSTEM, "shared-1"))).containsExactly(nhs);
        assertThat(r4.search(AppointmentQuery.forIdentifier(SYSTEM, "shared-1"))).containsExactly(nz);
        assertThatThrownBy(() -> r4.cancel(nhs.id(), 1, cancelled(nhs), FEED, "c"))
                .isInstanceOf(ResourceNotFoundException.class);
        assertThatThrownBy(() -> r4.register(new Stu3Appointment(booked(NHS_A, T1, "shared-1"), NHS_A), FEED, "r"))
                .isInstanceOf(UnprocessableEntityException.class);
        assertThat(rows(database.dataSource(), "SELECT flavour FROM appointment ORDER BY flavour"))
                .containsExactly(List.of("r4"), List.of("stu3"));
    }

    /** The columns expiry (CONTRACT §6) finds due appointments by: created, and end (start when there is no end). */
    @Test
    void recordsCreatedAndEndForExpiry() throws Exception {
        Appointment withEnd = booked(NHS_A, T1, "e-1");
        withEnd.setCreated(java.util.Date.from(T1.minusSeconds(86_400)));
        Appointment withoutEnd = booked(NHS_A, T2, "e-2");
        withoutEnd.setEnd(null);
        StoredAppointment first = store.register(withEnd, NHS_A, FEED, "r");
        StoredAppointment second = store.register(withoutEnd, NHS_A, FEED, "r");

        assertThat(rows(database.dataSource(), "SELECT created_millis, end_millis FROM appointment WHERE id = '" + first.id() + "'"))
                .containsExactly(List.of(T1.minusSeconds(86_400).toEpochMilli(), T1.plusSeconds(900).toEpochMilli()));
        assertThat(rows(database.dataSource(), "SELECT created_millis, end_millis FROM appointment WHERE id = '" + second.id() + "'"))
                .containsExactly(listOf(null, T2.toEpochMilli()));
    }

    @Test
    void reportsWhetherTheDatabaseIsReachable() throws Exception {
        assertThat(store.isReachable()).isTrue();
        RegistryDatabase second = openSecondPool();
        AppointmentStore closed = new AppointmentStore(second.dataSource());
        second.close();
        assertThat(closed.isReachable()).isFalse();
    }

    // --- helpers ---

    static <T> List<T> successes(List<Outcome<T>> outcomes) {
        return outcomes.stream().filter(Outcome::succeeded).map(Outcome::value).toList();
    }

    static <T> List<Throwable> failures(List<Outcome<T>> outcomes) {
        return outcomes.stream().filter(o -> !o.succeeded()).map(Outcome::failure).toList();
    }

    static List<Object> listOf(Object... values) {
        return new ArrayList<>(java.util.Arrays.asList(values));
    }

    static long count(DataSource dataSource, String sql) throws SQLException {
        return ((Number) rows(dataSource, sql).get(0).get(0)).longValue();
    }

    /** Every row of a query, values normalised so H2 and PostgreSQL compare alike. */
    static List<List<Object>> rows(DataSource dataSource, String sql) throws SQLException {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = connection.prepareStatement(sql);
                ResultSet resultSet = statement.executeQuery()) {
            List<List<Object>> rows = new ArrayList<>();
            int columns = resultSet.getMetaData().getColumnCount();
            while (resultSet.next()) {
                List<Object> row = new ArrayList<>();
                for (int i = 1; i <= columns; i++) {
                    Object value = resultSet.getObject(i);
                    row.add(value instanceof java.sql.Clob clob ? clob.getSubString(1, (int) clob.length()) : value);
                }
                rows.add(row);
            }
            return rows;
        }
    }
}
