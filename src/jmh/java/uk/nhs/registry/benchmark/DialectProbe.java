package uk.nhs.registry.benchmark;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.flywaydb.core.Flyway;

/**
 * What the store's SQL would meet on an engine, tried rather than read from its manual: the registry's migrations
 * as they are (through Flyway, and statement by statement), how a duplicate identifier is reported (the store
 * recognises SQLState 23505), ALTER TABLE ... DROP CONSTRAINT and ... DROP NOT NULL (a later migration may need
 * them), and SELECT ... FOR UPDATE SKIP LOCKED (what an expiry job on several instances would claim rows with),
 * including whether a row another transaction has locked is really skipped.
 */
final class DialectProbe {

    private DialectProbe() {
    }

    static List<String> probe(EngineCandidate engine, Path home, RegistrationRows rows) {
        List<String> lines = new ArrayList<>();
        lines.add("== " + engine.name());
        if (engine.runsRegistryMigrations()) {
            lines.add("  migrations: the registry's own V1-V4 through Flyway (RegistryDatabase.open)");
        } else {
            asIs(engine, home, lines);
        }
        try (EngineCandidate.Opened db = engine.open(home, "probe", 2)) {
            lines.add("  duplicate identifier: " + duplicate(db, rows));
            lines.add("  ALTER TABLE ... DROP CONSTRAINT (a foreign key): "
                    + attempt(db, "ALTER TABLE appointment_version DROP CONSTRAINT appointment_version_appointment_fk"));
            attempt(db, "CREATE TABLE probe_not_null (a INTEGER NOT NULL)");
            String dropNotNull = attempt(db, "ALTER TABLE probe_not_null ALTER COLUMN a DROP NOT NULL");
            if (dropNotNull.equals("supported")) {
                String insertNull = attempt(db, "INSERT INTO probe_not_null (a) VALUES (NULL)");
                dropNotNull = insertNull.equals("supported") ? "supported (a NULL is accepted afterwards)"
                        : "parsed, but a NULL is still refused: " + insertNull;
            }
            lines.add("  ALTER TABLE ... ALTER COLUMN ... DROP NOT NULL: " + dropNotNull);
            lines.add("  FOR UPDATE SKIP LOCKED: " + skipLocked(db, rows));
        } catch (Exception e) {
            lines.add("  probe failed: " + describe(e));
        }
        return lines;
    }

    /** The unchanged migrations on an empty database of this engine: Flyway as the registry runs it, then statement by statement. */
    private static void asIs(EngineCandidate engine, Path home, List<String> lines) {
        try (EngineCandidate.Opened empty = engine.openEmpty(home, "flyway")) {
            Flyway.configure().dataSource(empty.dataSource()).locations("classpath:db/migration").load().migrate();
            lines.add("  migrations as they are, through Flyway, in the engine's default syntax: all applied");
        } catch (Exception e) {
            lines.add("  migrations as they are, through Flyway, in the engine's default syntax: FAILED: " + describe(e));
        }
        try (EngineCandidate.Opened empty = engine.openEmpty(home, "statements");
                Connection c = empty.dataSource().getConnection();
                Statement s = c.createStatement()) {
            c.setAutoCommit(true);
            int ok = 0;
            for (String script : PortedSchema.MIGRATIONS) {
                for (String statement : PortedSchema.statements(PortedSchema.migration(script))) {
                    try {
                        s.execute(statement);
                        ok++;
                    } catch (SQLException e) {
                        lines.add("  as-is " + script.substring(0, script.indexOf("__")) + " fails: "
                                + firstWords(statement) + " -> " + describe(e));
                    }
                }
            }
            lines.add("  as-is statements that ran: " + ok);
        } catch (Exception e) {
            lines.add("  as-is statements: could not run: " + describe(e));
        }
    }

    private static String duplicate(EngineCandidate.Opened db, RegistrationRows rows) throws SQLException {
        RegistrationRows.Row first = rows.row("9000000009");
        RegistrationRows.Row second = new RegistrationRows.Row(rows.row("9000000009").id(), first.identifier(),
                first.nhsNumber(), first.startMillis(), first.now(), first.json());
        try (Connection c = db.dataSource().getConnection()) {
            c.setAutoCommit(false);
            RegistrationRows.register(c, first);
            try {
                RegistrationRows.register(c, second);
                return "NOT REJECTED";
            } catch (SQLException e) {
                c.rollback();
                boolean recognised = false;
                for (SQLException s = e; s != null; s = s.getNextException()) {
                    recognised |= "23505".equals(s.getSQLState()) || s.getErrorCode() == 23505;
                }
                return "SQLState " + e.getSQLState() + ", vendor code " + e.getErrorCode()
                        + (recognised ? " (SqlErrors.isUniqueViolation: yes)" : " (SqlErrors.isUniqueViolation: NO)")
                        + ": " + describe(e);
            }
        }
    }

    private static String attempt(EngineCandidate.Opened db, String sql) {
        try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement()) {
            c.setAutoCommit(true);
            s.execute(sql);
            return "supported";
        } catch (SQLException e) {
            return "NOT supported: " + describe(e);
        }
    }

    /**
     * Two appointments; one transaction locks the first with FOR UPDATE, a second asks for up to ten with
     * SKIP LOCKED and must get the second alone, at once.
     */
    private static String skipLocked(EngineCandidate.Opened db, RegistrationRows rows) throws SQLException {
        String claim = "SELECT id FROM appointment WHERE status = 'booked' ORDER BY id LIMIT 10 FOR UPDATE SKIP LOCKED";
        String parsed = attempt(db, claim);
        if (!parsed.equals("supported")) {
            return parsed;
        }
        try (Connection setup = db.dataSource().getConnection()) {
            setup.setAutoCommit(false);
            try (Statement s = setup.createStatement()) {
                s.execute("DELETE FROM audit_event");
                s.execute("DELETE FROM appointment_version");
                s.execute("DELETE FROM appointment_identifier");
                s.execute("DELETE FROM appointment");
            }
            setup.commit();
            RegistrationRows.register(setup, rows.row("9000000009"));
            RegistrationRows.register(setup, rows.row("9000000009"));
        }
        try (Connection holder = db.dataSource().getConnection(); Connection claimer = db.dataSource().getConnection()) {
            holder.setAutoCommit(false);
            claimer.setAutoCommit(false);
            String locked;
            try (Statement s = holder.createStatement(); ResultSet r = s.executeQuery("SELECT MIN(id) FROM appointment")) {
                r.next();
                locked = r.getString(1);
            }
            try (PreparedStatement s = holder.prepareStatement("SELECT id FROM appointment WHERE id = ? FOR UPDATE")) {
                s.setString(1, locked);
                s.executeQuery().close();
            } catch (SQLException e) {
                return "NOT supported (plain FOR UPDATE fails): " + describe(e);
            }
            try (PreparedStatement s = claimer.prepareStatement(claim)) {
                s.setQueryTimeout(5);
                List<String> claimed = new ArrayList<>();
                long started = System.nanoTime();
                try (ResultSet r = s.executeQuery()) {
                    while (r.next()) {
                        claimed.add(r.getString(1));
                    }
                }
                long millis = (System.nanoTime() - started) / 1_000_000;
                return claimed.size() == 1 && !claimed.contains(locked)
                        ? "supported (the locked row was skipped, answered in " + millis + " ms)"
                        : "parsed, but claimed " + claimed.size() + " rows" + (claimed.contains(locked) ? " including the locked one" : "");
            } catch (SQLException e) {
                return "NOT supported: " + describe(e);
            } finally {
                holder.rollback();
                claimer.rollback();
            }
        }
    }

    private static String firstWords(String statement) {
        String flat = statement.replaceAll("\\s+", " ");
        return flat.length() <= 70 ? flat : flat.substring(0, 70) + "...";
    }

    /** The innermost message, on one line, short. */
    static String describe(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = String.valueOf(root.getMessage()).replaceAll("\\s+", " ");
        if (root instanceof SQLException sql && sql.getSQLState() != null && !message.contains(sql.getSQLState())) {
            message = "[" + sql.getSQLState() + "] " + message;
        }
        return message.length() <= 160 ? message : message.substring(0, 160) + "...";
    }
}
