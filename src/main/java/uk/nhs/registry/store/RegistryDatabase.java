package uk.nhs.registry.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import uk.nhs.registry.store.migration.V6__Backfill_expiry_instants;

/**
 * The registry's database: a connection pool whose schema has been brought up to date by Flyway
 * before anyone gets a connection. Durability is the database engine's own commit: every write the
 * registry acknowledges has been committed by the engine first. Close it on shutdown, after the
 * routes have stopped, so that an embedded H2 database is closed cleanly.
 */
public final class RegistryDatabase implements AutoCloseable {

    public static final String DEFAULT_URL = "jdbc:h2:file:./data/registry";
    public static final String MIGRATIONS = "classpath:db/migration";

    private static final long CONNECTION_TIMEOUT_MILLIS = 10_000;

    /** What {@link #withH2Defaults} adds to an embedded H2 file URL, in this order; its comment says why. */
    private static final List<Map.Entry<String, String>> H2_FILE_SETTINGS = List.of(
            Map.entry("DB_CLOSE_ON_EXIT", "FALSE"), Map.entry("WRITE_DELAY", "0"));

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
        config.setJdbcUrl(withH2Defaults(jdbcUrl));
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
                .javaMigrations(new V6__Backfill_expiry_instants())
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
     * <li>file databases: WRITE_DELAY=0, so that H2 writes a commit to its file before the commit
     * returns. H2's default (500 ms) acknowledges a commit that a killed process then loses; the
     * registry's promise is that an acknowledged write survives the process.</li>
     * <li>file databases: DB_CLOSE_ON_EXIT=FALSE stops H2's own shutdown hook closing the database
     * while requests are still finishing; {@link #close()} closes it instead, after the routes.</li>
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
