package uk.nhs.registry.benchmark;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/**
 * The registry's migrations (src/main/resources/db/migration) as an engine that cannot run them as they are would
 * need them: the same tables, columns, keys and indexes, with only the changes listed here. What each change is,
 * and why it is needed, is the cost of porting the store to that engine (EmbeddedEngineComparison prints which
 * statements of the real migrations fail).
 */
enum PortedSchema {

    /**
     * V1-V3 run unchanged (SQLite takes VARCHAR(n), TEXT and BIGINT by type affinity, and does not enforce the
     * lengths). V4 is left out: SQLite's ALTER TABLE refuses to drop a foreign or primary key and cannot add one (a key
     * changes only by copying the table), and it needs none here because SQLite never indexes a foreign key itself.
     */
    SQLITE(List.of("V1__appointment_registry.sql", "V2__ingest.sql", "V3__audit.sql"));

    static final List<String> MIGRATIONS = List.of("V1__appointment_registry.sql", "V2__ingest.sql", "V3__audit.sql",
            "V4__identifier_foreign_key_index.sql");

    private final List<String> scripts;

    PortedSchema(List<String> scripts) {
        this.scripts = scripts;
    }

    void create(DataSource dataSource) throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            for (String script : scripts) {
                for (String statement : statements(migration(script))) {
                    s.execute(statement);
                }
            }
            if (!c.getAutoCommit()) {
                c.commit();
            }
        }
    }

    /** One migration's text, as Flyway would read it. */
    static String migration(String script) {
        try (InputStream in = PortedSchema.class.getClassLoader().getResourceAsStream("db/migration/" + script)) {
            if (in == null) {
                throw new IllegalStateException("no migration " + script + " on the classpath");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The statements of a migration: its "--" comments removed (none is inside a string), split at ';'. */
    static List<String> statements(String sql) {
        StringBuilder code = new StringBuilder();
        for (String line : sql.split("\n", -1)) {
            int comment = line.indexOf("--");
            code.append(comment < 0 ? line : line.substring(0, comment)).append('\n');
        }
        List<String> statements = new ArrayList<>();
        for (String statement : code.toString().split(";")) {
            if (!statement.isBlank()) {
                statements.add(statement.strip());
            }
        }
        return statements;
    }
}
