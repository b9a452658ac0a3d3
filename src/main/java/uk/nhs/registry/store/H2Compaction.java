package uk.nhs.registry.store;

import java.lang.reflect.InvocationTargetException;
import java.sql.Connection;
import java.sql.SQLException;
import org.h2.jdbc.JdbcConnection;
import org.h2.mvstore.MVStore;

/**
 * Compacts the embedded H2 file a little at a time, in place of H2's own compaction, which
 * RegistryDatabase switches off ({@code AUTO_COMPACT_FILL_RATE=0}).
 *
 * <p>Why: H2's file is log-structured. Every write of its file adds a chunk of the pages changed
 * since the last one, and the older copies of those pages become dead space in older chunks, which
 * is only reclaimed by rewriting those chunks' live pages into new ones. H2 does that from its
 * background thread in passes of up to a quarter of its auto-commit memory (≈ 2.5 MB of live
 * pages with a 160 MB heap), holding its store lock for the whole pass, and looks for work every
 * WRITE_DELAY / 3 (16 ms). At 700 registrations/s a pass took 100-300 ms of CPU, writers queued
 * behind it, and the pages it rewrote outlived the survivor spaces: each pass was a latency spike
 * and the old generation filled in bursts, ending in full collections (3-8 in two minutes, 102 in
 * ten). Here the same work is done in steps of {@link #STEP_LIVE_BYTES} every
 * {@link #STEP_INTERVAL_MILLIS} (≈ 3 ms each); a step does nothing while the chunks are at least
 * {@link #TARGET_FILL_RATE} % live.
 *
 * <p>The cost is file size. A step only takes chunks whose live bytes fit in it; under steady
 * writes the chunks stayed ≈ 55 % live against H2's ≈ 70 %, and the file grew to ≈ 1.3 times the
 * size. Steps of 1 MB every 200 ms kept them ≈ 65 % live, but their rewritten pages reached the
 * old generation again (see README, "H2's compaction, in small steps").
 *
 * <p>H2 keeps its {@link MVStore} behind packages it does not export (org.h2.engine,
 * org.h2.mvstore.db: not visible to this bundle in Karaf), so the store is reached from the
 * connection by name, through public methods of H2 2.3. An H2 that no longer has them fails the
 * registry's start rather than leaving the file to grow.
 */
final class H2Compaction {

    /** Percent of the chunks' bytes that must be live before a step stops rewriting. */
    static final int TARGET_FILL_RATE = 80;
    static final int STEP_LIVE_BYTES = 128 << 10;
    static final long STEP_INTERVAL_MILLIS = 50;

    private final MVStore store;

    private H2Compaction(MVStore store) {
        this.store = store;
    }

    /** The compaction of the database {@code connection} is open on (an embedded H2 file database). */
    static H2Compaction of(Connection connection) throws SQLException {
        JdbcConnection h2 = connection.unwrap(JdbcConnection.class);
        try {
            Object database = call(call(h2, "getSession"), "getDatabase");
            Object store = call(call(database, "getStore"), "getMvStore");
            return new H2Compaction((MVStore) store);
        } catch (ReflectiveOperationException | ClassCastException e) {
            throw new SQLException("Cannot reach the H2 file's store to compact it (H2 "
                    + h2.getMetaData().getDatabaseProductVersion() + "; the registry is built against 2.3.232): " + e, e);
        }
    }

    /**
     * One step: if less than {@link #TARGET_FILL_RATE} % of the chunks' bytes are live, rewrites
     * up to {@link #STEP_LIVE_BYTES} of live pages from the chunks with the least live in them.
     * Returns whether it rewrote anything. H2 writes the rewritten pages with its next write of the
     * file, and reuses the space of the emptied chunks once they are older than RETENTION_TIME.
     */
    boolean step() {
        return store.compact(TARGET_FILL_RATE, STEP_LIVE_BYTES);
    }

    /** Percent of the chunks' bytes that are live. */
    int chunksFillRate() {
        return store.getFileStore().getChunksFillRate();
    }

    private static Object call(Object target, String method) throws ReflectiveOperationException {
        try {
            return target.getClass().getMethod(method).invoke(target);
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw e;
        }
    }
}
