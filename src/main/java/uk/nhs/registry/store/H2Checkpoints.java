package uk.nhs.registry.store;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes the embedded H2 database's file and syncs it to the disk every {@link #INTERVAL_MILLIS}
 * ({@code CHECKPOINT SYNC}), then lets the {@link H2CommitLog} drop what the file now holds; and
 * between checkpoints, on the same thread, runs the {@link H2Compaction} steps.
 *
 * <p>Why 250 ms, not a second: each sync sends what H2 wrote since the last one (≈ 7 MB a second
 * at 700 registrations a second) to the disk at once, and the log's syncs, which commits wait
 * for, queue behind it. A probe of that pattern on this project's benchmark machine (500 synced
 * 4 KB appends a second beside 7 MB/s of buffered writes) saw appends wait 235-639 ms in four of
 * seven 2-minute runs with a sync every second, and at most 89-156 ms in six runs with one every
 * 250 ms.
 *
 * <p>Why sync at all although commits are durable through the log: H2's own background
 * thread writes its file too (every {@code WRITE_DELAY}, and when compacting, which moves live
 * pages to new chunks) without syncing, and the registry lets H2 reuse a dead chunk's space 5 s
 * after it died ({@code RETENTION_TIME}, see RegistryDatabase). That is only safe if the write
 * that made it dead is on the disk by then. And the log only shrinks behind a synced file.
 *
 * <p>The checkpoints run on a connection of their own, outside the pool, which the log's replay
 * uses first. Pools opened on the same database in one JVM share one instance (H2 shares the
 * database between them, so they must share its log, and one replay at the first opening).
 */
final class H2Checkpoints implements AutoCloseable {

    static final long INTERVAL_MILLIS = 250;
    private static final Logger LOG = LoggerFactory.getLogger(H2Checkpoints.class);

    private static final Map<Path, H2Checkpoints> OPEN = new HashMap<>();

    private final Path database;
    private final Connection connection;
    private final H2CommitLog log;
    private int users = 1; // under H2Checkpoints.class
    private final AtomicLong checkpoints = new AtomicLong();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(task -> {
        Thread thread = new Thread(task, "registry-h2-checkpoint");
        thread.setDaemon(true);
        return thread;
    });

    private H2Checkpoints(Path database, Connection connection, H2CommitLog log) {
        this.database = database;
        this.connection = connection;
        this.log = log;
    }

    /**
     * The checkpoints of {@code database}: if no pool in this JVM has it open, replays the commit
     * log beside it on {@code connection} and starts checkpointing every {@code intervalMillis}, taking over the
     * connection (closed with this); otherwise closes {@code connection} and shares the running one.
     */
    static synchronized H2Checkpoints start(Connection connection, Path database, long segmentBytes, long intervalMillis)
            throws SQLException, IOException {
        H2Checkpoints running = OPEN.get(database);
        if (running != null) {
            running.users++;
            connection.close();
            return running;
        }
        checkpoint(connection); // CHECKPOINT needs admin rights: find out now, not on the first write
        H2Compaction compaction = H2Compaction.of(connection);
        H2CommitLog log = H2CommitLog.openAndReplay(database, connection, () -> checkpoint(connection), segmentBytes);
        H2Checkpoints checkpoints = new H2Checkpoints(database, connection, log);
        checkpoints.timer.scheduleWithFixedDelay(checkpoints::checkpointAndDiscard, intervalMillis, intervalMillis,
                TimeUnit.MILLISECONDS);
        checkpoints.timer.scheduleWithFixedDelay(() -> compactionStep(compaction), H2Compaction.STEP_INTERVAL_MILLIS,
                H2Compaction.STEP_INTERVAL_MILLIS, TimeUnit.MILLISECONDS);
        OPEN.put(database, checkpoints);
        return checkpoints;
    }

    H2CommitLog log() {
        return log;
    }

    /** Runs the periodic checkpoint now. */
    synchronized void checkpointNow() throws SQLException, IOException {
        log.closeSegmentIfFull();
        long covered = log.appended(); // every transaction up to here is committed in H2
        checkpoint(connection);
        log.discardThrough(covered);
        checkpoints.incrementAndGet();
    }

    /** How many checkpoints have run. */
    long checkpoints() {
        return checkpoints.get();
    }

    private void checkpointAndDiscard() {
        try {
            checkpointNow();
        } catch (SQLException | IOException | RuntimeException e) {
            // Commits are still durable through the log; the log grows until a checkpoint succeeds.
            LOG.warn("Periodic checkpoint of the H2 file failed: {}", e.toString());
        }
    }

    private static void compactionStep(H2Compaction compaction) {
        try {
            compaction.step();
        } catch (RuntimeException e) {
            LOG.warn("Compaction step of the H2 file failed: {}", e.toString());
        }
    }

    private static void checkpoint(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute("CHECKPOINT SYNC");
        }
    }

    /**
     * Call after the pool has closed. The last pool's close makes a last checkpoint, which then
     * holds every commit, and deletes the log.
     */
    @Override
    public void close() throws SQLException {
        synchronized (H2Checkpoints.class) {
            if (--users > 0) {
                return;
            }
            OPEN.remove(database);
        }
        timer.shutdown(); // not shutdownNow: an interrupt in H2's file I/O closes its file channel
        try {
            timer.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            boolean fileHoldsAll = false;
            try {
                checkpoint(connection);
                fileHoldsAll = true;
            } finally {
                log.close(fileHoldsAll);
            }
        } catch (IOException e) {
            throw new SQLException("Could not close the commit log: " + e.getMessage(), e);
        } finally {
            connection.close();
        }
    }
}
