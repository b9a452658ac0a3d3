package uk.nhs.registry.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import uk.nhs.registry.store.migration.V6__Backfill_expiry_instants;
import uk.nhs.registry.store.migration.V7__One_index_per_foreign_key_on_hsqldb;

/**
 * The registry's database: a connection pool whose schema has been brought up to date by Flyway
 * before anyone gets a connection. Durability is the database engine's own commit: every write the
 * registry acknowledges has been committed by the engine first. Close it on shutdown, after the
 * routes have stopped, so that an embedded database is closed cleanly.
 *
 * <p>The embedded default is an HSQLDB file database (docs/decisions/0001-embedded-store.md); H2
 * stays usable by URL, PostgreSQL is the production store.
 */
public final class RegistryDatabase implements AutoCloseable {

    public static final String DEFAULT_URL = "jdbc:hsqldb:file:./data/registry";
    public static final String MIGRATIONS = "classpath:db/migration";

    private static final long CONNECTION_TIMEOUT_MILLIS = 10_000;
    private static final String HSQLDB_DRIVER = "org.hsqldb.jdbc.JDBCDriver";

    /** What {@link #withEmbeddedDefaults} adds to an embedded H2 file URL, in this order; its comment says why. */
    private static final List<Map.Entry<String, String>> H2_FILE_SETTINGS = List.of(
            Map.entry("DB_CLOSE_ON_EXIT", "FALSE"), Map.entry("WRITE_DELAY", "0"));

    /** What {@link #withEmbeddedDefaults} adds to an embedded HSQLDB in-memory URL; its comment says why. */
    private static final List<Map.Entry<String, String>> HSQLDB_MEMORY_SETTINGS = List.of(
            Map.entry("hsqldb.tx", "mvcc"), Map.entry("sql.syntax_pgs", "true"));

    /** What {@link #withEmbeddedDefaults} adds to an embedded HSQLDB file URL, in this order; its comment says why. */
    private static final List<Map.Entry<String, String>> HSQLDB_FILE_SETTINGS = List.of(
            Map.entry("hsqldb.default_table_type", "cached"), Map.entry("hsqldb.write_delay", "false"),
            Map.entry("hsqldb.tx", "mvcc"), Map.entry("sql.syntax_pgs", "true"), Map.entry("shutdown", "true"));

    private final DataSource pool;
    private final Runnable onClose;

    private RegistryDatabase(DataSource pool, Runnable onClose) {
        this.pool = pool;
        this.onClose = onClose;
    }

    /** The pool size when {@code registry.db.pool-size} is not set: HikariCP's own default. */
    public static final int DEFAULT_POOL_SIZE = 10;

    /** Opens the pool and migrates the schema; fails (and leaves nothing open) if either fails. */
    public static RegistryDatabase open(String jdbcUrl, String user, String password, int maxPoolSize) {
        HikariConfig config = new HikariConfig();
        config.setPoolName("registry");
        config.setJdbcUrl(withEmbeddedDefaults(jdbcUrl));
        if (jdbcUrl.toLowerCase(Locale.ROOT).startsWith("jdbc:hsqldb:")) {
            // Inside OSGi nothing registers HSQLDB's driver with DriverManager (its bundle has no
            // activator, unlike H2's and PostgreSQL's); named, HikariCP loads the class itself.
            config.setDriverClassName(HSQLDB_DRIVER);
        }
        config.setUsername(user);
        config.setPassword(password);
        config.setMaximumPoolSize(maxPoolSize);
        // Short enough that a readiness check or a request fails visibly rather than hanging.
        config.setConnectionTimeout(CONNECTION_TIMEOUT_MILLIS);
        HikariDataSource pool = new HikariDataSource(config);
        try {
            migrate(pool);
            return new RegistryDatabase(pool, pool::close);
        } catch (RuntimeException e) {
            pool.close();
            throw e;
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
                // Java migrations as instances: no class scanning, which inside OSGi depends on how
                // the bundle's classes can be listed.
                .javaMigrations(new V6__Backfill_expiry_instants(), new V7__One_index_per_foreign_key_on_hsqldb())
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
     * An embedded database needs settings a server database does not. Settings already in the URL
     * win.
     *
     * <p>HSQLDB (the default), file databases:
     * <ul>
     * <li>hsqldb.write_delay=false: HSQLDB writes each commit to its log and syncs the log to the
     * disk before the commit returns. Its default (0.5 s) acknowledges a commit that a killed
     * process then loses; the registry's promise is that an acknowledged write survives the
     * process (and here, as far as the disk honours a sync, a power cut).</li>
     * <li>hsqldb.default_table_type=cached: the tables live in the .data file and only a cache of
     * rows in memory. HSQLDB's default (memory tables) holds every row on the heap and rewrites the
     * whole table into its .script file at each checkpoint.</li>
     * <li>hsqldb.tx=mvcc: writers lock rows, not tables, and readers never wait for writers, as on
     * PostgreSQL. HSQLDB's default (two-phase table locks) serialises every write.</li>
     * <li>sql.syntax_pgs=true: PostgreSQL's dialect, so that the migrations written for PostgreSQL
     * and H2 run unchanged (e.g. {@code TEXT} as a type).</li>
     * <li>shutdown=true: HSQLDB keeps a file database open, with its lock file, until told. This
     * shuts it down (a checkpoint, the lock released) when its last connection closes, which is
     * when {@link #close()} closes the pool, and never while another pool in this JVM (a test's
     * second instance) still holds a connection, as a SHUTDOWN statement would. Should the pool
     * briefly hold no connection while it replaces one, the database is reopened from its files:
     * slower for that moment, nothing lost.</li>
     * </ul>
     * HSQLDB in-memory databases get MVCC and PostgreSQL's dialect, and no shutdown: they live until
     * the JVM ends, because the last connection closing would drop the data.
     *
     * <p>H2:
     * <ul>
     * <li>file databases: WRITE_DELAY=0, so that H2 writes a commit to its file before the commit
     * returns. H2's default (500 ms) acknowledges a commit that a killed process then loses. H2 does
     * not sync the file at commit: a power cut can lose the most recent acknowledged writes.</li>
     * <li>file databases: DB_CLOSE_ON_EXIT=FALSE stops H2's own shutdown hook closing the database
     * while requests are still finishing; {@link #close()} closes it instead, after the routes.</li>
     * <li>in-memory databases: DB_CLOSE_DELAY=-1, because the pool may briefly hold no
     * connection while it replaces one, and the last connection closing would drop the data.</li>
     * </ul>
     */
    static String withEmbeddedDefaults(String jdbcUrl) {
        return switch (Kind.of(jdbcUrl)) {
            case HSQLDB_FILE -> withSettings(jdbcUrl, HSQLDB_FILE_SETTINGS);
            case HSQLDB_MEMORY -> withSettings(jdbcUrl, HSQLDB_MEMORY_SETTINGS);
            case H2_FILE -> withSettings(jdbcUrl, H2_FILE_SETTINGS);
            case H2_MEMORY -> withSetting(jdbcUrl, "DB_CLOSE_DELAY", "-1");
            case OTHER -> jdbcUrl;
        };
    }

    /** Which databases need the embedded treatment: a server (PostgreSQL, H2 or HSQLDB over the network) does not. */
    private enum Kind {
        HSQLDB_FILE, HSQLDB_MEMORY, H2_FILE, H2_MEMORY, OTHER;

        static Kind of(String jdbcUrl) {
            String lower = jdbcUrl.toLowerCase(Locale.ROOT);
            if (lower.startsWith("jdbc:hsqldb:")) {
                if (lower.startsWith("jdbc:hsqldb:mem:")) {
                    return HSQLDB_MEMORY;
                }
                // hsql:, hsqls:, http:, https: are servers; res: is a read-only database in a jar
                boolean notEmbedded = lower.startsWith("jdbc:hsqldb:hsql") || lower.startsWith("jdbc:hsqldb:http")
                        || lower.startsWith("jdbc:hsqldb:res:");
                return notEmbedded ? OTHER : HSQLDB_FILE;
            }
            if (!lower.startsWith("jdbc:h2:") || lower.startsWith("jdbc:h2:tcp:") || lower.startsWith("jdbc:h2:ssl:")) {
                return OTHER;
            }
            return lower.startsWith("jdbc:h2:mem:") ? H2_MEMORY : H2_FILE;
        }
    }

    private static String withSettings(String url, List<Map.Entry<String, String>> settings) {
        String withAll = url;
        for (Map.Entry<String, String> setting : settings) {
            withAll = withSetting(withAll, setting.getKey(), setting.getValue());
        }
        return withAll;
    }

    private static String withSetting(String url, String key, String value) {
        String lower = url.toLowerCase(Locale.ROOT);
        return lower.contains(";" + key.toLowerCase(Locale.ROOT) + "=") ? url : url + ";" + key + "=" + value;
    }
}
