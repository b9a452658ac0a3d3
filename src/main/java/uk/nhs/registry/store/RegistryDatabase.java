package uk.nhs.registry.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;

/**
 * The registry's database: a connection pool whose schema has been brought up to date by Flyway
 * before anyone gets a connection. Close it on shutdown, after the routes have stopped, so that
 * an embedded H2 database is closed cleanly.
 */
public final class RegistryDatabase implements AutoCloseable {

    public static final String DEFAULT_URL = "jdbc:h2:file:./data/registry";
    public static final String MIGRATIONS = "classpath:db/migration";

    private static final long CONNECTION_TIMEOUT_MILLIS = 10_000;

    /** What {@link #withH2Defaults} adds to an embedded H2 file URL, in this order; its comment says why. */
    private static final List<Map.Entry<String, String>> H2_FILE_SETTINGS = List.of(Map.entry("DB_CLOSE_ON_EXIT", "FALSE"),
            Map.entry("CACHE_SIZE", "2048"), Map.entry("RETENTION_TIME", "5000"), Map.entry("WRITE_DELAY", "50"),
            Map.entry("AUTO_COMPACT_FILL_RATE", "0"));

    private final DataSource pool;
    private final Runnable onClose;

    private RegistryDatabase(DataSource pool, Runnable onClose) {
        this.pool = pool;
        this.onClose = onClose;
    }

    /**
     * The pool size when {@code registry.db.pool-size} is not set: 32 for an embedded H2 file, 10 for a
     * database server. Why more for H2: a commit keeps its connection while it waits for the shared
     * sync of the commit log ({@link H2CommitLog}), so the pool caps how many commits one sync can
     * carry. (When each sync was a write of H2's file, registering at 16 connections, a pool of 10
     * managed 716 requests/s at 2.28 ms CPU each, a pool of 32 1,333/s at 1.14 ms.) An H2
     * connection is a little memory, a server's a process.
     */
    public static int defaultPoolSize(String jdbcUrl) {
        return Kind.of(jdbcUrl) == Kind.H2_FILE ? 32 : 10;
    }

    /**
     * Opens the pool and migrates the schema (for an embedded H2 file, after replaying its commit
     * log); fails (and leaves nothing open) if any of that fails.
     */
    public static RegistryDatabase open(String jdbcUrl, String user, String password, int maxPoolSize) {
        return open(jdbcUrl, user, password, maxPoolSize, H2CommitLog.SEGMENT_BYTES, H2Checkpoints.INTERVAL_MILLIS);
    }

    /**
     * As above, with the size at which an embedded H2 database's commit log starts a new segment, and how often
     * its file is checkpointed (a test that checkpoints by itself sets this long, so that no timer interleaves).
     */
    static RegistryDatabase open(String jdbcUrl, String user, String password, int maxPoolSize, long logSegmentBytes,
            long checkpointMillis) {
        HikariConfig config = new HikariConfig();
        config.setPoolName("registry");
        config.setJdbcUrl(withH2Defaults(jdbcUrl));
        config.setUsername(user);
        config.setPassword(password);
        config.setMaximumPoolSize(maxPoolSize);
        // Short enough that a readiness check or a request fails visibly rather than hanging.
        config.setConnectionTimeout(CONNECTION_TIMEOUT_MILLIS);
        HikariDataSource pool = new HikariDataSource(config);
        try {
            if (Kind.of(jdbcUrl) != Kind.H2_FILE) {
                migrate(pool);
                return new RegistryDatabase(pool, pool::close);
            }
            // The commit log was written against the schema as it was: replay it before migrating,
            // and have the migrated schema in the file before any logged write needs it.
            H2Checkpoints checkpoints = checkpoints(config, logSegmentBytes, checkpointMillis);
            try {
                migrate(pool);
                checkpoints.checkpointNow();
            } catch (SQLException | IOException | RuntimeException e) {
                closeQuietly(checkpoints);
                throw e instanceof RuntimeException r ? r : new IllegalStateException(
                        "Cannot write the migrated schema to the H2 file: " + e.getMessage(), e);
            }
            return new RegistryDatabase(new CommitLogDataSource(pool, checkpoints), () -> {
                pool.close();
                closeQuietly(checkpoints);
            });
        } catch (RuntimeException e) {
            pool.close();
            throw e;
        }
    }

    private static H2Checkpoints checkpoints(HikariConfig config, long logSegmentBytes, long checkpointMillis) {
        Properties credentials = new Properties();
        credentials.setProperty("user", config.getUsername());
        credentials.setProperty("password", config.getPassword() == null ? "" : config.getPassword());
        Connection connection = null;
        try {
            // The driver itself rather than DriverManager, which cannot see it inside OSGi.
            connection = new org.h2.Driver().connect(config.getJdbcUrl(), credentials);
            return H2Checkpoints.start(connection, databasePath(connection), logSegmentBytes, checkpointMillis);
        } catch (SQLException | IOException | RuntimeException e) {
            if (connection != null) {
                try {
                    connection.close();
                } catch (SQLException closing) {
                    e.addSuppressed(closing);
                }
            }
            throw new IllegalStateException("Cannot open the H2 database's commit log, or replay it (the registry"
                    + " also runs CHECKPOINT, which needs an H2 admin user): " + e.getMessage(), e);
        }
    }

    /** Where H2 keeps the database, without its {@code .mv.db}: the commit log goes beside it. */
    private static Path databasePath(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement();
                ResultSet path = statement.executeQuery("SELECT DATABASE_PATH()")) {
            path.next();
            return Path.of(path.getString(1));
        }
    }

    private static void closeQuietly(H2Checkpoints checkpoints) {
        try {
            checkpoints.close();
        } catch (SQLException e) {
            // the pool has closed; H2 closes the database with its last connection either way
        }
    }

    /**
     * A DataSource somebody else owns (a hub's pooled DataSource service): migrated like our own
     * pool, but {@link #close()} leaves it open, its owner closes it.
     */
    public static RegistryDatabase borrowed(DataSource dataSource) {
        migrate(dataSource);
        return new RegistryDatabase(dataSource, () -> { });
    }

    private static void migrate(DataSource dataSource) {
        // The registry's own class loader, not the thread's: inside OSGi the thread context class
        // loader cannot see this bundle's db/migration folder.
        Flyway.configure(RegistryDatabase.class.getClassLoader())
                .dataSource(dataSource)
                .locations(MIGRATIONS)
                .failOnMissingLocations(true)
                .load()
                .migrate();
    }

    public DataSource dataSource() {
        return pool;
    }

    @Override
    public void close() {
        onClose.run();
    }

    /**
     * Embedded H2 needs settings a server database does not:
     * <ul>
     * <li>file databases: DB_CLOSE_ON_EXIT=FALSE stops H2's own shutdown hook closing the database
     * while requests are still finishing, {@link #close()} closes it instead. (H2 writes commits
     * to the file up to WRITE_DELAY later, so a killed process would lose acknowledged writes:
     * {@link H2CommitLog} makes every commit wait until it is in the log on the disk.)</li>
     * <li>file databases: CACHE_SIZE=2048 (KB; H2's default is 16 MB). H2 replaces a cached page
     * on every write and keeps the old one in its cache for a while: under steady registrations
     * those pages lived long enough to reach the old generation and forced a full collection (a
     * ~170 ms pause) every few seconds. With 2 MB they die young; reads and searches lost ~10 %
     * (the operating system still caches the file).</li>
     * <li>file databases: RETENTION_TIME=5000 (ms; H2's default is 45 s). H2 keeps a chunk it no
     * longer needs for that long before reusing its space, in case the writes after it are still
     * in the operating system's buffers. When the registry wrote a chunk per group commit, 45 s
     * meant ~10,000 dead chunks kept, each with its metadata in the heap and in the chunk map
     * rewritten by every later chunk: the file grew ~30 MB/s and every write got slower.
     * {@link H2Checkpoints} syncs the file every 250 ms, so 5 s is still many times the longest
     * a write can stay unsynced.</li>
     * <li>file databases: AUTO_COMPACT_FILL_RATE=0 switches H2's own compaction off;
     * {@link H2Compaction} does that work in small steps instead (its comment says why).</li>
     * <li>in-memory databases: DB_CLOSE_DELAY=-1, because the pool may briefly hold no
     * connection while it replaces one, and the last connection closing would drop the data.</li>
     * </ul>
     * Settings already in the URL win.
     */
    static String withH2Defaults(String jdbcUrl) {
        return switch (Kind.of(jdbcUrl)) {
            case H2_FILE -> {
                String url = jdbcUrl;
                for (Map.Entry<String, String> setting : H2_FILE_SETTINGS) {
                    url = withSetting(url, setting.getKey(), setting.getValue());
                }
                yield url;
            }
            case H2_MEMORY -> withSetting(jdbcUrl, "DB_CLOSE_DELAY", "-1");
            case OTHER -> jdbcUrl;
        };
    }

    /** Which databases need the embedded-H2 treatment: a server (PostgreSQL, H2 over TCP) does not. */
    private enum Kind {
        H2_FILE, H2_MEMORY, OTHER;

        static Kind of(String jdbcUrl) {
            String lower = jdbcUrl.toLowerCase(Locale.ROOT);
            if (!lower.startsWith("jdbc:h2:") || lower.startsWith("jdbc:h2:tcp:") || lower.startsWith("jdbc:h2:ssl:")) {
                return OTHER;
            }
            return lower.startsWith("jdbc:h2:mem:") ? H2_MEMORY : H2_FILE;
        }
    }

    private static String withSetting(String url, String key, String value) {
        String upper = url.toUpperCase(Locale.ROOT);
        return upper.contains(";" + key + "=") ? url : url + ";" + key + "=" + value;
    }
}
