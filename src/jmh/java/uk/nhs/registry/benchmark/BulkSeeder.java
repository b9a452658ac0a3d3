package uk.nhs.registry.benchmark;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import uk.nhs.registry.store.RegistryDatabase;

/**
 * Fills the registry's database directly with JDBC batches (the registry must not be running: the
 * embedded file database, HSQLDB or H2, allows one process). Every patient gets {@link #PER_PATIENT} future
 * appointments, so a search result has the same size whatever the number seeded, and what grows
 * is only the table being searched.
 */
final class BulkSeeder {

    static final int PER_PATIENT = 5;
    private static final int BATCH = 2_000;

    private BulkSeeder() {
    }

    /** Seeds until the database holds {@code target} seeded appointments; returns how many it added. */
    static long seedUpTo(BenchmarkDatabase into, long target) throws SQLException {
        try (RegistryDatabase database = RegistryDatabase.open(into.url(), into.user(), into.password(), 2);
                Connection c = database.dataSource().getConnection()) {
            long present = count(c);
            c.setAutoCommit(false);
            long now = Instant.now().toEpochMilli();
            try (PreparedStatement current = c.prepareStatement("INSERT INTO appointment"
                            + " (id, version, status, nhs_number, start_millis, last_updated, resource) VALUES (?, 1, 'booked', ?, ?, ?, ?)");
                    PreparedStatement identifier = c.prepareStatement(
                            "INSERT INTO appointment_identifier (id_system, id_value, appointment_id) VALUES ('urn:seed', ?, ?)");
                    PreparedStatement version = c.prepareStatement("INSERT INTO appointment_version"
                            + " (id, version, status, last_updated, resource, actor_source) VALUES (?, 1, 'booked', ?, ?, 'seed')")) {
                for (long i = present; i < target; i++) {
                    String id = UUID.randomUUID().toString();
                    String nhs = seededPatient(i / PER_PATIENT);
                    long start = Instant.ofEpochMilli(now).plus(1 + i % 300, ChronoUnit.DAYS).toEpochMilli();
                    String json = resource(id, nhs, i, start, now);
                    current.setString(1, id);
                    current.setString(2, nhs);
                    current.setLong(3, start);
                    current.setLong(4, now);
                    current.setString(5, json);
                    current.addBatch();
                    identifier.setString(1, Long.toString(i));
                    identifier.setString(2, id);
                    identifier.addBatch();
                    version.setString(1, id);
                    version.setLong(2, now);
                    version.setString(3, json);
                    version.addBatch();
                    if ((i + 1) % BATCH == 0 || i + 1 == target) {
                        current.executeBatch();
                        identifier.executeBatch();
                        version.executeBatch();
                        c.commit();
                    }
                }
            }
            return Math.max(0, target - present);
        }
    }

    private static long count(Connection c) throws SQLException {
        try (Statement s = c.createStatement();
                ResultSet r = s.executeQuery("SELECT COUNT(*) FROM appointment_identifier WHERE id_system = 'urn:seed'")) {
            r.next();
            return r.getLong(1);
        }
    }

    /** The k-th seeded patient: a valid NHS number from a range the live load does not use. */
    static String seededPatient(long k) {
        for (long candidate = 600_000_000L + k * 10; ; candidate++) {
            String nine = Long.toString(candidate);
            int sum = 0;
            for (int i = 0; i < 9; i++) {
                sum += (nine.charAt(i) - '0') * (10 - i);
            }
            int check = 11 - sum % 11;
            if (check == 11) {
                check = 0;
            }
            if (check != 10) {
                return nine + check;
            }
        }
    }

    private static String resource(String id, String nhs, long n, long start, long now) {
        return "{\"resourceType\":\"Appointment\",\"id\":\"" + id + "\",\"meta\":{\"versionId\":\"1\",\"lastUpdated\":\""
                + Instant.ofEpochMilli(now) + "\"},\"identifier\":[{\"system\":\"urn:seed\",\"value\":\"" + n + "\"}],"
                + "\"status\":\"booked\",\"start\":\"" + Instant.ofEpochMilli(start) + "\",\"end\":\""
                + Instant.ofEpochMilli(start).plus(15, ChronoUnit.MINUTES) + "\",\"created\":\"" + Instant.ofEpochMilli(now)
                + "\",\"participant\":[{\"actor\":{\"identifier\":{\"system\":\"https://fhir.nhs.uk/Id/nhs-number\",\"value\":\""
                + nhs + "\"}},\"status\":\"accepted\"}]}";
    }
}
