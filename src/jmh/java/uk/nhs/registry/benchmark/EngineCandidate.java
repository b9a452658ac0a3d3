package uk.nhs.registry.benchmark;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;
import uk.nhs.registry.store.RegistryDatabase;

/**
 * A database engine that could be the registry's embedded default, set up as the registry would run it: every
 * commit durable in the engine's own sense (see docs/decisions/0001-embedded-store.md for what each survives).
 * Each opens a database of its own per name ("write", "seed"): a folder for the embedded engines, a database in
 * one shared server for PostgreSQL.
 */
abstract class EngineCandidate implements AutoCloseable {

    /** An open database: its pool, and what it costs on disk. */
    interface Opened extends AutoCloseable {
        DataSource dataSource();

        /** Bytes the data takes now: its files (embedded) or pg_database_size (PostgreSQL, WAL excluded). */
        long bytesOnDisk();

        @Override
        void close();
    }

    private final String name;
    private final String setup;

    EngineCandidate(String name, String setup) {
        this.name = name;
        this.setup = setup;
    }

    String name() {
        return name;
    }

    /** The settings it runs with, for the report. */
    String setup() {
        return setup;
    }

    /** Opens (creating and migrating if new) the database called {@code database} under {@code home}. */
    abstract Opened open(Path home, String database, int poolSize) throws Exception;

    /** Whether it runs the registry's own migrations through Flyway, as RegistryDatabase.open does. */
    boolean runsRegistryMigrations() {
        return false;
    }

    /** A database with no schema, for trying the unchanged migrations; only for engines that need a ported schema. */
    Opened openEmpty(Path home, String database) throws Exception {
        throw new UnsupportedOperationException(name + " runs the registry's migrations");
    }

    /** Bytes of the closed database's files (after a clean close: H2 compacted, SQLite's WAL checkpointed); -1 for a server. */
    long bytesAtRest(Path home, String database) {
        return folderBytes(home.resolve(prefix() + database));
    }

    /** The start of its folders' names under the run's home ("h2-" for h2-write, h2-seed). */
    String prefix() {
        return name + "-";
    }

    /** CPU of a server process outside this JVM so far, in ms; 0 for an embedded engine (its CPU is this JVM's). */
    long serverCpuMillis() {
        return 0;
    }

    /** Whether its files differ from another candidate's only in a commit setting, so seeding it again adds nothing. */
    boolean sameFilesAs(EngineCandidate other) {
        return false;
    }

    @Override
    public void close() throws IOException {
    }

    static EngineCandidate named(String name, Path home) throws IOException {
        return switch (name.trim().toLowerCase(Locale.ROOT)) {
            case "h2" -> new H2();
            case "sqlite-full" -> new Sqlite("sqlite-full", SQLiteConfig.SynchronousMode.FULL, false);
            case "sqlite-normal" -> new Sqlite("sqlite-normal", SQLiteConfig.SynchronousMode.NORMAL, false);
            case "sqlite-full-1" -> new Sqlite("sqlite-full-1", SQLiteConfig.SynchronousMode.FULL, true);
            case "sqlite-normal-1" -> new Sqlite("sqlite-normal-1", SQLiteConfig.SynchronousMode.NORMAL, true);
            case "hsqldb" -> new Hsqldb();
            case "postgresql" -> new Postgresql(BenchmarkDatabase.named("postgresql", home.resolve("postgresql-server"), "", ""));
            default -> throw new IllegalArgumentException(
                    "--engines expects h2, sqlite-full, sqlite-full-1, sqlite-normal, sqlite-normal-1, hsqldb, postgresql; got " + name);
        };
    }

    static long folderBytes(Path folder) {
        try (Stream<Path> files = Files.walk(folder)) {
            return files.filter(Files::isRegularFile).mapToLong(file -> {
                try {
                    return Files.size(file);
                } catch (IOException e) {
                    return 0; // a file the engine removed while we listed them (a WAL after a checkpoint)
                }
            }).sum();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static HikariDataSource pool(String poolName, int size, Consumer<HikariConfig> target) {
        HikariConfig config = new HikariConfig();
        config.setPoolName(poolName);
        config.setMaximumPoolSize(size);
        config.setMinimumIdle(size);
        config.setConnectionTimeout(60_000);
        target.accept(config);
        return new HikariDataSource(config);
    }

    /** H2 exactly as the registry opens it: RegistryDatabase adds DB_CLOSE_ON_EXIT=FALSE;WRITE_DELAY=0 and runs the migrations. */
    private static final class H2 extends EngineCandidate {
        H2() {
            super("h2", "H2 2.3.232, MVStore file, WRITE_DELAY=0, everything else H2's defaults (RegistryDatabase.open)");
        }

        @Override
        boolean runsRegistryMigrations() {
            return true;
        }

        @Override
        Opened open(Path home, String database, int poolSize) throws IOException {
            Path folder = Files.createDirectories(home.resolve(prefix() + database));
            RegistryDatabase opened = RegistryDatabase.open("jdbc:h2:file:" + folder.resolve("registry").toAbsolutePath(),
                    "sa", "", poolSize);
            return new Opened() {
                @Override
                public DataSource dataSource() {
                    return opened.dataSource();
                }

                @Override
                public long bytesOnDisk() {
                    return folderBytes(folder);
                }

                @Override
                public void close() {
                    opened.close(); // the last connection closing closes the H2 database
                }
            };
        }
    }

    /**
     * SQLite in WAL mode: one writer at a time. With a pool of connections the others wait in SQLite's busy handler,
     * which sleeps and polls; with one connection ({@code serial}) they queue for it in the pool instead, as a port
     * would queue its writers.
     */
    private static final class Sqlite extends EngineCandidate {
        private final SQLiteConfig.SynchronousMode synchronous;
        private final boolean serial;

        Sqlite(String name, SQLiteConfig.SynchronousMode synchronous, boolean serial) {
            super(name, "SQLite 3.53 (org.xerial:sqlite-jdbc), journal_mode=WAL, synchronous=" + synchronous
                    + ", foreign_keys=ON, busy_timeout=60000" + (serial ? ", ONE connection (writers queue in the pool)"
                            : ", a connection per thread (writers wait in SQLite's busy handler)"));
            this.synchronous = synchronous;
            this.serial = serial;
        }

        @Override
        Opened open(Path home, String database, int poolSize) throws Exception {
            return open(home, database, poolSize, true);
        }

        @Override
        Opened openEmpty(Path home, String database) throws Exception {
            return open(home, database, 1, false);
        }

        private Opened open(Path home, String database, int poolSize, boolean schema) throws Exception {
            Path folder = Files.createDirectories(home.resolve(prefix() + database));
            boolean fresh = !Files.exists(folder.resolve("registry.db"));
            SQLiteConfig settings = new SQLiteConfig();
            settings.setJournalMode(SQLiteConfig.JournalMode.WAL);
            settings.setSynchronous(synchronous);
            settings.enforceForeignKeys(true); // off by default in SQLite, per connection
            settings.setBusyTimeout(60_000);
            // Transactions stay DEFERRED (the driver's default): each of the store's writes starts with an INSERT or
            // UPDATE, so it takes the write lock at once, waiting in the busy handler. IMMEDIATE would be no safer and
            // worse here: sqlite-jdbc begins the next transaction as soon as one commits, so with IMMEDIATE an idle
            // connection whose auto-commit is off holds the write lock.
            SQLiteDataSource sqlite = new SQLiteDataSource(settings);
            sqlite.setUrl("jdbc:sqlite:" + folder.resolve("registry.db").toAbsolutePath());
            HikariDataSource pool = pool(name() + "-" + database, serial ? 1 : poolSize, config -> config.setDataSource(sqlite));
            if (fresh && schema) {
                PortedSchema.SQLITE.create(pool);
            }
            return embedded(pool, folder);
        }

        @Override
        boolean sameFilesAs(EngineCandidate other) {
            return other instanceof Sqlite;
        }
    }

    /**
     * HSQLDB with disk-based (CACHED) tables, MVCC, and the log synced at each commit. With sql.syntax_pgs=true it
     * takes the registry's migrations unchanged (TEXT, which its default syntax lacks), through Flyway and the
     * flyway-database-hsqldb module, as RegistryDatabase.open runs them.
     */
    private static final class Hsqldb extends EngineCandidate {
        private static final String SETTINGS = ";hsqldb.default_table_type=cached;hsqldb.write_delay=false;hsqldb.tx=mvcc";

        Hsqldb() {
            super("hsqldb", "HSQLDB 2.7.4, hsqldb.default_table_type=cached, hsqldb.write_delay=false, hsqldb.tx=mvcc,"
                    + " sql.syntax_pgs=true, the registry's migrations through Flyway (RegistryDatabase.open)");
        }

        @Override
        Opened open(Path home, String database, int poolSize) throws IOException {
            Path folder = Files.createDirectories(home.resolve(prefix() + database));
            String url = "jdbc:hsqldb:file:" + folder.resolve("registry").toAbsolutePath() + SETTINGS + ";sql.syntax_pgs=true";
            RegistryDatabase opened = RegistryDatabase.open(url, "SA", "", poolSize);
            return shutDownOnClose(opened::dataSource, opened::close, folder, url);
        }

        /** In HSQLDB's default syntax, to show what the unchanged migrations meet there. */
        @Override
        Opened openEmpty(Path home, String database) throws IOException {
            Path folder = Files.createDirectories(home.resolve(prefix() + database));
            String url = "jdbc:hsqldb:file:" + folder.resolve("registry").toAbsolutePath() + SETTINGS;
            HikariDataSource pool = pool(name() + "-" + database, 1, config -> {
                config.setJdbcUrl(url);
                config.setUsername("SA");
                config.setPassword("");
            });
            return shutDownOnClose(() -> pool, pool::close, folder, url);
        }

        private static Opened shutDownOnClose(Supplier<DataSource> dataSource, Runnable closePool,
                Path folder, String url) {
            return new Opened() {
                @Override
                public DataSource dataSource() {
                    return dataSource.get();
                }

                @Override
                public long bytesOnDisk() {
                    return folderBytes(folder);
                }

                @Override
                public void close() {
                    closePool.run();
                    // HSQLDB keeps a file database open until told; SHUTDOWN checkpoints it so that the next open is quick.
                    try (Connection c = DriverManager.getConnection(url, "SA", ""); Statement s = c.createStatement()) {
                        s.execute("SHUTDOWN");
                    } catch (SQLException e) {
                        throw new IllegalStateException("HSQLDB did not shut down", e);
                    }
                }
            };
        }
    }

    private static Opened embedded(HikariDataSource pool, Path folder) {
        return new Opened() {
            @Override
            public DataSource dataSource() {
                return pool;
            }

            @Override
            public long bytesOnDisk() {
                return folderBytes(folder);
            }

            @Override
            public void close() {
                pool.close();
            }
        };
    }

    /** The production store, for reference: a local server with fsync and synchronous_commit on, the registry's migrations. */
    private static final class Postgresql extends EngineCandidate {
        private final BenchmarkDatabase server;

        Postgresql(BenchmarkDatabase server) {
            super("postgresql", "PostgreSQL (io.zonky embedded server on 127.0.0.1, fsync=on, synchronous_commit=on,"
                    + " other settings the server's defaults), the registry's migrations");
            this.server = server;
        }

        @Override
        boolean runsRegistryMigrations() {
            return true;
        }

        @Override
        Opened open(Path home, String database, int poolSize) throws SQLException {
            String name = "registry_" + database;
            try (Connection c = DriverManager.getConnection(server.url(), server.user(), server.password());
                    Statement s = c.createStatement()) {
                boolean exists;
                try (ResultSet r = s.executeQuery("SELECT 1 FROM pg_database WHERE datname = '" + name + "'")) {
                    exists = r.next();
                }
                if (!exists) {
                    s.execute("CREATE DATABASE " + name);
                }
            }
            // Seeding sends JDBC batches: the driver may send each as one multi-row INSERT (the rows stored are the same).
            String url = server.url().substring(0, server.url().lastIndexOf('/') + 1) + name
                    + (database.equals("seed") ? "?reWriteBatchedInserts=true" : "");
            RegistryDatabase opened = RegistryDatabase.open(url, server.user(), server.password(), poolSize);
            return new Opened() {
                @Override
                public DataSource dataSource() {
                    return opened.dataSource();
                }

                @Override
                public long bytesOnDisk() {
                    try (Connection c = opened.dataSource().getConnection(); Statement s = c.createStatement();
                            ResultSet r = s.executeQuery("SELECT pg_database_size(current_database())")) {
                        r.next();
                        return r.getLong(1);
                    } catch (SQLException e) {
                        throw new IllegalStateException(e);
                    }
                }

                @Override
                public void close() {
                    opened.close();
                }
            };
        }

        @Override
        long serverCpuMillis() {
            return Math.max(0, server.serverCpuMillis());
        }

        @Override
        long bytesAtRest(Path home, String database) {
            return -1;
        }

        @Override
        public void close() throws IOException {
            server.close();
        }
    }
}
