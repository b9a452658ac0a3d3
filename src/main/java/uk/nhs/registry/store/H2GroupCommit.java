package uk.nhs.registry.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes an embedded H2 database write committed transactions to its file, and the file to the
 * disk, before a commit returns, sharing one write among all the transactions that committed
 * meanwhile (group commit).
 *
 * <p>Why: H2 either writes every commit on its own (WRITE_DELAY=0), which costs each commit a
 * new file chunk (~50 KB written for one small appointment, the file growing without bound
 * because H2 never compacts in that mode) and serialises all writers, or writes up to a
 * second later, which loses acknowledged writes when the process is killed. With a write
 * delay, H2 compacts in the background, and {@code CHECKPOINT SYNC} stores what has been
 * committed so far; a committer that finds a checkpoint started after its own commit is done at
 * once.
 *
 * <p>Why SYNC (an fsync per checkpoint), not a plain CHECKPOINT: without it an acknowledged write
 * survived a killed process but not a power cut or an OS crash, and the written chunks piled up
 * in the OS page cache (H2 writes ~30 MB/s at 700 registrations/s, copy-on-write pages of every
 * table and index a registration touches) until the kernel flushed them in one go every 30 s
 * ({@code vm.dirty_expire_centisecs}), stalling every write for 0.3-1 s. On the benchmark
 * machine a synchronous 50 KB write takes ~0.25 ms; a slower disk makes each checkpoint slower
 * but also lets more commits share it.
 *
 * <p>Also once a second, whether or not anything was committed: H2's own background thread writes
 * too (its compaction moves live pages to new chunks) without syncing, and the registry lets H2
 * reuse a dead chunk's space 5 s after it died ({@code RETENTION_TIME}, see RegistryDatabase).
 * That is only safe if the write that made it dead is on the disk by then.
 *
 * <p>The checkpoints run on a connection of their own, outside the pool: committers hold pool
 * connections while they wait, and must never wait for one.
 */
final class H2GroupCommit implements AutoCloseable {

    static final long SYNC_INTERVAL_MILLIS = 1000;
    private static final Logger LOG = LoggerFactory.getLogger(H2GroupCommit.class);

    private final Connection checkpointConnection;
    private final ReentrantLock checkpointing = new ReentrantLock();
    private final Object counters = new Object();
    /** Commits that have asked to be written; each takes the next number. */
    private long requested;
    /** Every commit up to this number is in the file. */
    private volatile long written;
    private long checkpoints;
    private long periodicSyncs;
    private final ScheduledExecutorService syncer = Executors.newSingleThreadScheduledExecutor(task -> {
        Thread thread = new Thread(task, "registry-h2-sync");
        thread.setDaemon(true);
        return thread;
    });

    H2GroupCommit(Connection checkpointConnection) throws SQLException {
        this.checkpointConnection = checkpointConnection;
        try {
            checkpoint(); // CHECKPOINT needs admin rights: find out now, not on the first write
        } catch (SQLException | RuntimeException e) {
            syncer.shutdown();
            throw e;
        }
        syncer.scheduleWithFixedDelay(this::periodicSync, SYNC_INTERVAL_MILLIS, SYNC_INTERVAL_MILLIS,
                TimeUnit.MILLISECONDS);
    }

    private void periodicSync() {
        checkpointing.lock();
        try {
            checkpoint();
            periodicSyncs++;
        } catch (SQLException | RuntimeException e) {
            // The next commit's checkpoint fails the same way, visibly; this one has no caller to tell.
            LOG.warn("Periodic sync of the H2 file failed: {}", e.toString());
        } finally {
            checkpointing.unlock();
        }
    }

    /** Returns once every transaction committed before this call is written to the file. */
    void awaitWritten() throws SQLException {
        long ticket;
        synchronized (counters) {
            ticket = ++requested;
        }
        checkpointing.lock();
        try {
            if (written >= ticket) {
                return; // a checkpoint that began after this commit has finished
            }
            long covered;
            synchronized (counters) {
                covered = requested;
            }
            checkpoint();
            checkpoints++;
            written = covered;
        } finally {
            checkpointing.unlock();
        }
    }

    /** How many file writes the commits so far have needed. */
    long checkpoints() {
        return readLocked(() -> checkpoints);
    }

    /** How many once-a-second syncs have run. */
    long periodicSyncs() {
        return readLocked(() -> periodicSyncs);
    }

    /** The counters change under the checkpoint lock; read them under it too. */
    private long readLocked(LongSupplier counter) {
        checkpointing.lock();
        try {
            return counter.getAsLong();
        } finally {
            checkpointing.unlock();
        }
    }

    private void checkpoint() throws SQLException {
        try (Statement statement = checkpointConnection.createStatement()) {
            statement.execute("CHECKPOINT SYNC");
        }
    }

    @Override
    public void close() throws SQLException {
        syncer.shutdown(); // not shutdownNow: an interrupt in H2's file I/O closes its file channel
        try {
            syncer.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        checkpointConnection.close();
    }
}
