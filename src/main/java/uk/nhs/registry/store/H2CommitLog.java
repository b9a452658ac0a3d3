package uk.nhs.registry.store;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLRecoverableException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.regex.Pattern;
import java.util.zip.CRC32C;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded H2 database's write-ahead log: every committed write transaction is appended here
 * and the log synced to the disk before the commit returns; H2 itself writes its file in the
 * background ({@link H2Checkpoints}), and after a crash the transactions the file lacks are made
 * again from the log ({@link #openAndReplay}).
 *
 * <p>Why: H2 2.x has no log of its own. Made durable by writing its file on every commit, each
 * commit cost H2 a new chunk holding every page the transaction touched in ~16 B-trees (≈ 50 KB
 * for one appointment, ≈ 2 ms of CPU per write shared by the commits that waited for it) and
 * H2's compaction and chunk bookkeeping filled the old generation. A log record is the
 * transaction's statements and parameters (≈ 4 KB), and one sync carries every commit that
 * arrived meanwhile (group commit); H2 writes its file every {@code WRITE_DELAY} (50 ms, see
 * RegistryDatabase).
 *
 * <p>Order: a transaction is committed in H2 and appended here under one lock, so the log lists
 * transactions in the order H2 committed them, and a transaction that depends on another (a
 * cancel of a new registration) is never durable without it. The file H2 finds after a crash
 * holds the transactions up to some point of that order; the log holds those since its oldest
 * segment; replay skips the ones the file holds (their first statement fails on a unique key
 * or changes no row) and makes the rest.
 *
 * <p>Files: {@code <database>.commitlog.<n>} beside the database file, each written to its full
 * size before its first record ({@link #preallocated}). A segment is closed when it is full
 * ({@link #SEGMENT_BYTES} by default), with an end mark after its last record, and retired once a
 * synced checkpoint of H2's file holds all of its transactions: kept as a spare
 * ({@code <database>.commitlog-spare.<k>}, at most {@link #SPARES}) and renamed to become a later
 * segment, its old content overwritten record by record, or else deleted. Why: a new segment
 * costs writing its size in zeros and creating a file, and a deleted one a discard, all on the
 * disk the commits' syncs wait for, every few seconds under load.
 *
 * <p>Each record is framed as length, CRC-32C, content, the CRC mixed with the segment's number
 * ({@link #salt}), so that what a recycled file held before, which follows the new records, fails
 * its check. A segment ends at its end mark, or at the first frame that fails; only the last
 * segment holding records may end without its mark (the crash came during its last write, which
 * nobody was told had succeeded); in any other segment that is damage, and the start stops.
 */
final class H2CommitLog implements AutoCloseable {

    static final long SEGMENT_BYTES = 8L << 20;
    /** Retired segments kept for reuse: the checkpoint retires one about when the next is needed. */
    static final int SPARES = 2;
    private static final String SUFFIX = ".commitlog.";
    private static final String SPARE_SUFFIX = ".commitlog-spare.";
    private static final int FRAME_HEADER = 8;
    /** The content of an end mark's checksum field (its length is 0), before the salt. */
    private static final int END_MARK = 0x454e4421;
    private static final Logger LOG = LoggerFactory.getLogger(H2CommitLog.class);
    /** A waiting commit looks again after this long even if no release woke it (a bound, not the way it is woken). */
    private static final long PARK_LIMIT_NANOS = TimeUnit.MILLISECONDS.toNanos(10);

    @FunctionalInterface
    interface Commit {
        void run() throws SQLException;
    }

    private record Segment(Path file, long lastRecord) {
    }

    /**
     * What a segment holds: its transactions, up to byte {@code end}; {@code marked} if its end mark is there, which
     * is written as it is closed and synced before a newer segment gets a record.
     */
    record Contents(List<LoggedTransaction> transactions, int end, boolean marked) {
    }

    /** What the replay at opening did: transactions made again, and those the file already held. */
    record Replay(int made, int skipped) {
    }

    private final Path database;
    private final long segmentBytes;
    private final Replay replay;
    /** Taken for commit-and-append, so that the log's order is H2's commit order. */
    private final Object order = new Object();
    private final ReentrantLock syncing = new ReentrantLock();
    /**
     * Commits waiting while another thread holds {@link #syncing}; each release wakes them all at once
     * ({@link #release}). Why not queue them on the lock: the lock hands over to one waiter at a time, each
     * handover waiting for that thread to get a core, so the last of a dozen commits covered by one sync
     * waited for the dozen in turn (measured at 700 registrations/s on 2 cores: 13 % of commits waited
     * 3 ms or more for the log, 10 ms on average, while its syncs took 0.56 ms on average).
     */
    private final Queue<Thread> waiting = new ConcurrentLinkedQueue<>();
    /**
     * What a sync writes goes through this one buffer (under syncing). Why: the JDK writes a heap
     * buffer through a direct copy that it then keeps per thread, as large as that thread's largest
     * write; any request thread may sync, and after a stall a sync carries megabytes (measured:
     * RSS 28 MB higher at the end of a paced run).
     */
    private final ByteBuffer direct = ByteBuffer.allocateDirect(256 * 1024);
    private Frames pending = new Frames();
    private Frames spare = new Frames();
    /** Records appended so far (the last one's number); under {@link #order}. */
    private long appended;
    /** Every record up to this number is on the disk. */
    private volatile long durable;
    private long syncs;
    /** The first failed write: no commit after it is made, the log being behind. */
    private volatile IOException failure;
    // Under syncing:
    private FileChannel active;
    private Path activeFile;
    private int activeNumber;
    private long activeBytes;
    private final Deque<Segment> closed = new ArrayDeque<>();
    private final Deque<Path> spares = new ArrayDeque<>();
    private int sparesMade;
    /** The number the next segment gets; used by the one caller of closeSegmentIfFull (and at opening). */
    private int nextSegment;

    private H2CommitLog(Path database, long segmentBytes, int nextSegment, Replay replay) {
        this.database = database;
        this.segmentBytes = segmentBytes;
        this.nextSegment = nextSegment;
        this.replay = replay;
    }

    /**
     * Makes again, on {@code connection}, what the database file lacks of the log beside it,
     * then (once {@code checkpoint} has synced the file) deletes the old segments and starts a new one.
     *
     * @param database the database's path without H2's {@code .mv.db}
     */
    static H2CommitLog openAndReplay(Path database, Connection connection, Commit checkpoint, long segmentBytes)
            throws IOException, SQLException {
        for (Path spare : files(database, SPARE_SUFFIX)) {
            Files.delete(spare); // numbered for the last run: a new run starts with fresh files
        }
        List<Path> segments = segments(database);
        int next = 1;
        Replay replay = new Replay(0, 0);
        if (!segments.isEmpty()) {
            replay = replay(segments, connection);
            checkpoint.run(); // what was made again is in the file before its log goes
            for (Path segment : segments) {
                Files.delete(segment);
            }
            next = number(segments.get(segments.size() - 1)) + 1;
        }
        H2CommitLog log = new H2CommitLog(database, segmentBytes, next, replay);
        log.startSegment();
        return log;
    }

    private static Replay replay(List<Path> segments, Connection connection) throws IOException, SQLException {
        checkWhole(segments); // before any of it is made again
        connection.setAutoCommit(false);
        int skipped = 0;
        int made = 0;
        for (Path segment : segments) {
            for (LoggedTransaction transaction : read(segment).transactions()) {
                if (transaction.replay(connection)) {
                    made++;
                } else if (made > 0) {
                    throw new IllegalStateException("The commit log " + segment + " does not follow from the H2 file"
                            + " beside it: a logged transaction is already in the file after one that was not."
                            + " Were the database file and its log copied at different times?");
                } else {
                    skipped++;
                }
            }
        }
        connection.setAutoCommit(true);
        LOG.info("Commit log replayed: {} transactions made again, {} already in the database file", made, skipped);
        return new Replay(made, skipped);
    }

    Replay replayed() {
        return replay;
    }

    /**
     * Only the last segment that holds anything may end without its end mark. Any earlier one was closed, and synced
     * with its mark, before the later one got a record: if its records stop short, that is damage, and the
     * registry refuses to guess. (A newer segment with nothing in it is one a crash left just after it was made.)
     */
    private static void checkWhole(List<Path> segments) throws IOException {
        Path unmarked = null;
        int unmarkedEnd = 0;
        for (Path segment : segments) {
            Contents contents = read(segment);
            if (unmarked != null && (contents.marked() || !contents.transactions().isEmpty())) {
                throw new IOException("The commit log " + unmarked + " is damaged at byte " + unmarkedEnd
                        + "; it was synced before the newer segment " + segment.getFileName() + " got its records,"
                        + " so its transactions may have been acknowledged");
            }
            if (!contents.marked() && unmarked == null) {
                unmarked = segment;
                unmarkedEnd = contents.end();
            }
        }
    }

    /** What one segment holds: its records up to its end mark or to the first frame that is cut short or fails its check. */
    static Contents read(Path segment) throws IOException {
        int salt = salt(number(segment));
        ByteBuffer bytes = ByteBuffer.wrap(Files.readAllBytes(segment));
        List<LoggedTransaction> transactions = new ArrayList<>();
        while (bytes.remaining() >= FRAME_HEADER) {
            int start = bytes.position();
            int length = bytes.getInt();
            int checksum = bytes.getInt() ^ salt;
            if (length == 0 && checksum == END_MARK) {
                return new Contents(transactions, start, true);
            }
            if (length <= 0 || length > bytes.remaining() || checksum != crc(bytes.array(), bytes.position(), length)) {
                return new Contents(transactions, start, false); // zeros not yet written over, a cut-short or old frame
            }
            transactions.add(LoggedTransaction.decode(
                    new DataInputStream(new ByteArrayInputStream(bytes.array(), bytes.position(), length))));
            bytes.position(bytes.position() + length);
        }
        return new Contents(transactions, bytes.position(), false);
    }

    /**
     * Mixed into each checksum of segment {@code number}: distinct for every number (an odd multiplier is a
     * bijection on int), so a frame written under an earlier number fails.
     */
    private static int salt(int number) {
        return number * 0x9e3779b1;
    }

    /**
     * Commits in H2 ({@code commit}) and appends the transaction, as one step in the log's order;
     * returns the record's number for {@link #awaitDurable}.
     */
    long commit(Commit commit, LoggedTransaction transaction) throws SQLException {
        byte[] record = transaction.encode();
        synchronized (order) {
            if (failure != null) {
                // Recoverable (by a restart): a feed leaves the message to its transport rather than dead-lettering it.
                throw new SQLRecoverableException("The commit log " + activeFile + " could not be written; no write is committed"
                        + " until the registry is restarted: " + failure.getMessage(), failure);
            }
            commit.run();
            pending.frame(record);
            return ++appended;
        }
    }

    /** Returns once record {@code number} and all before it are on the disk. */
    void awaitDurable(long number) throws SQLException {
        while (durable < number) {
            if (syncing.tryLock()) {
                try {
                    if (durable < number) {
                        syncPending(false);
                    }
                } catch (IOException e) {
                    throw new SQLRecoverableException("Could not write the commit log " + activeFile + "; the transaction is in"
                            + " the database but may not survive a crash: " + e.getMessage(), e);
                } finally {
                    release();
                }
            } else {
                Thread self = Thread.currentThread();
                waiting.add(self);
                // Checked after joining, so that the holder's release, which comes later, sees this thread.
                if (durable < number && syncing.isLocked()) {
                    LockSupport.parkNanos(this, PARK_LIMIT_NANOS);
                }
                waiting.remove(self);
            }
        }
    }

    /** Releases {@link #syncing} and wakes every commit waiting for it; whoever still needs a sync takes the lock next. */
    private void release() {
        syncing.unlock();
        for (Thread waiter : waiting) {
            LockSupport.unpark(waiter);
        }
    }

    /** Under syncing; {@code closing}: with the active segment's end mark after its last record. */
    private void syncPending(boolean closing) throws IOException {
        if (failure != null) {
            throw failure; // the log is behind: no later commit can be acknowledged safely either
        }
        Frames writing;
        long upTo;
        synchronized (order) {
            writing = pending;
            pending = spare;
            spare = writing;
            upTo = appended;
        }
        try {
            writing.seal(salt(activeNumber));
            if (closing) {
                writing.endMark(salt(activeNumber));
            }
            ByteBuffer contents = writing.contents();
            while (contents.hasRemaining()) {
                ByteBuffer slice = contents.slice(contents.position(), Math.min(contents.remaining(), direct.capacity()));
                contents.position(contents.position() + slice.remaining());
                direct.clear();
                direct.put(slice).flip();
                while (direct.hasRemaining()) {
                    activeBytes += active.write(direct, activeBytes);
                }
            }
            active.force(false);
        } catch (IOException e) {
            failure = e;
            LOG.error("Could not write the commit log {}: every later write is refused, and readiness is down, until"
                    + " the registry is restarted (its start checks the log against the database file)", activeFile, e);
            throw e;
        } finally {
            writing.reset();
        }
        durable = upTo;
        syncs++;
    }

    /** False once a write to the log has failed: from then on every commit is refused. */
    boolean isWritable() {
        return failure == null;
    }

    /** The number of the last record appended: all up to it are committed in H2. */
    long appended() {
        synchronized (order) {
            return appended;
        }
    }

    /** How many syncs the commits so far have needed. */
    long syncs() {
        syncing.lock();
        try {
            return syncs;
        } finally {
            release();
        }
    }

    /**
     * Starts a new segment if the current one has grown past the segment size. One caller at a
     * time (H2Checkpoints.checkpointNow); the new segment is prepared before commits are held up.
     */
    void closeSegmentIfFull() throws IOException {
        syncing.lock();
        try {
            if (activeBytes < segmentBytes) {
                return;
            }
        } finally {
            release();
        }
        // The number is taken only once its segment has records: if preparing the file fails, the next try makes
        // the same file again, so no empty segment is left between two that hold records (which reads as damage).
        Path nextFile = segmentFile(nextSegment);
        FileChannel next = recycledOrNew(nextFile);
        syncing.lock();
        try {
            syncPending(true);
            active.close();
            closed.add(new Segment(activeFile, durable));
            active = next;
            activeFile = nextFile;
            activeNumber = nextSegment++;
            activeBytes = 0;
        } catch (IOException | RuntimeException e) {
            next.close();
            throw e;
        } finally {
            release();
        }
    }

    /**
     * Retires the closed segments whose every record is at or before {@code checkpointed}: kept as spares, up to
     * {@link #SPARES}, the rest deleted.
     */
    void discardThrough(long checkpointed) throws IOException {
        syncing.lock();
        try {
            while (!closed.isEmpty() && closed.peek().lastRecord() <= checkpointed) {
                Path retired = closed.poll().file();
                if (spares.size() < SPARES) {
                    // Not synced: after a crash the old name may come back, and its records are then all in the file.
                    Path spare = sibling(SPARE_SUFFIX, ++sparesMade);
                    Files.move(retired, spare, StandardCopyOption.ATOMIC_MOVE);
                    spares.add(spare);
                } else {
                    Files.deleteIfExists(retired);
                }
            }
        } finally {
            release();
        }
    }

    /** Before the log is shared. */
    private void startSegment() throws IOException {
        activeNumber = nextSegment++;
        activeFile = segmentFile(activeNumber);
        active = preallocated(activeFile, segmentBytes);
        activeBytes = 0;
    }

    private Path segmentFile(int number) {
        return sibling(SUFFIX, number);
    }

    /** {@code <database><suffix><number>}, the one naming rule for segments and spares ({@link #files} lists them). */
    private Path sibling(String suffix, int number) {
        return database.resolveSibling(database.getFileName() + suffix + number);
    }

    /**
     * The file for segment {@code file}: a spare renamed, if there is one, else a new one. The rename is synced
     * before the segment gets a record, so that a crash cannot leave the records under the spare's name.
     */
    private FileChannel recycledOrNew(Path file) throws IOException {
        Path spare;
        syncing.lock();
        try {
            spare = spares.poll();
        } finally {
            release();
        }
        if (spare == null) {
            return preallocated(file, segmentBytes);
        }
        Files.move(spare, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        syncDirectory(file.getParent());
        return FileChannel.open(file, StandardOpenOption.WRITE);
    }

    /**
     * A new segment, its whole size written (with zeros) and synced. Why: a sync that does not
     * change the file's size or allocation is a data-only write for the file system; a sync of a
     * growing file is a journal commit, which waits behind the one H2's periodic file sync
     * is making (measured: log syncs of 135-229 ms while the H2 file's sync took 145-413 ms,
     * holding every commit). Zeros fail a frame's check, so they end the records.
     */
    private static FileChannel preallocated(Path file, long bytes) throws IOException {
        FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.WRITE);
        try {
            ByteBuffer zeros = ByteBuffer.allocateDirect(64 * 1024);
            for (long written = 0; written < bytes; ) {
                zeros.clear().limit((int) Math.min(zeros.capacity(), bytes - written));
                written += channel.write(zeros, written);
            }
            channel.force(true);
            syncDirectory(file.getParent()); // so that the new file is found after a crash
            return channel;
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    private static void syncDirectory(Path directory) throws IOException {
        try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
            channel.force(true);
        }
    }

    static List<Path> segments(Path database) throws IOException {
        return files(database, SUFFIX);
    }

    /** The files named {@code <database><suffix><n>}, by n. */
    private static List<Path> files(Path database, String suffix) throws IOException {
        Pattern name = Pattern.compile(Pattern.quote(database.getFileName() + suffix) + "(\\d+)");
        List<Path> found = new ArrayList<>();
        Path directory = database.toAbsolutePath().getParent();
        if (Files.isDirectory(directory)) {
            try (var files = Files.list(directory)) {
                files.filter(f -> name.matcher(f.getFileName().toString()).matches()).forEach(found::add);
            }
        }
        found.sort((a, b) -> Integer.compare(number(a), number(b)));
        return found;
    }

    private static int number(Path segment) {
        String name = segment.getFileName().toString();
        return Integer.parseInt(name.substring(name.lastIndexOf('.') + 1));
    }

    /**
     * Closes the log. {@code fileHoldsAll} says that a synced checkpoint made after the last
     * commit holds every logged transaction: the segments are then deleted; otherwise they stay
     * for the next start to check against the file.
     */
    void close(boolean fileHoldsAll) throws IOException {
        syncing.lock();
        try {
            if (failure == null) {
                syncPending(false);
            }
            active.close();
            if (fileHoldsAll && failure == null) {
                for (Segment segment : closed) {
                    Files.deleteIfExists(segment.file());
                }
                closed.clear();
                Files.deleteIfExists(activeFile);
            }
            for (Path spare : spares) {
                Files.deleteIfExists(spare);
            }
            spares.clear();
        } finally {
            release();
        }
    }

    @Override
    public void close() throws IOException {
        close(false);
    }

    private static int crc(byte[] bytes, int offset, int length) {
        CRC32C crc = new CRC32C();
        crc.update(bytes, offset, length);
        return (int) crc.getValue();
    }

    /** Framed records waiting for the next sync. */
    private static final class Frames extends ByteArrayOutputStream {

        Frames() {
            super(64 * 1024);
        }

        void frame(byte[] record) {
            int checksum = crc(record, 0, record.length);
            writeInt(record.length);
            writeInt(checksum);
            write(record, 0, record.length);
        }

        /** Mixes {@code salt} into every frame's checksum, now that the segment they go to is known. */
        void seal(int salt) {
            ByteBuffer frames = contents();
            for (int at = 0; at < count; at += FRAME_HEADER + frames.getInt(at)) {
                frames.putInt(at + 4, frames.getInt(at + 4) ^ salt);
            }
        }

        void endMark(int salt) {
            writeInt(0);
            writeInt(END_MARK ^ salt);
        }

        private void writeInt(int value) {
            write(value >>> 24);
            write(value >>> 16);
            write(value >>> 8);
            write(value);
        }

        ByteBuffer contents() {
            return ByteBuffer.wrap(buf, 0, count);
        }
    }
}
