package uk.nhs.registry.store;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLRecoverableException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
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
 * <p>Files: {@code <database>.commitlog.<n>} beside the database file, each written with zeros to
 * its full size when created ({@link #preallocated}). A segment is closed when it is full
 * ({@link #SEGMENT_BYTES} by default) and deleted once a synced checkpoint of H2's file holds all
 * of its transactions. Each record is framed as length, CRC-32C, content; a record cut short by
 * a crash can only be at the end of the newest segment, and was never acknowledged.
 */
final class H2CommitLog implements AutoCloseable {

    static final long SEGMENT_BYTES = 8L << 20;
    private static final String SUFFIX = ".commitlog.";
    private static final int FRAME_HEADER = 8;
    private static final Logger LOG = LoggerFactory.getLogger(H2CommitLog.class);

    @FunctionalInterface
    interface Commit {
        void run() throws SQLException;
    }

    private record Segment(Path file, long lastRecord) {
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
    private long activeBytes;
    private final Deque<Segment> closed = new ArrayDeque<>();
    /** Used by the one caller of closeSegmentIfFull (and at opening). */
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
        connection.setAutoCommit(false);
        int skipped = 0;
        int made = 0;
        for (int s = 0; s < segments.size(); s++) {
            Path segment = segments.get(s);
            boolean newest = s == segments.size() - 1;
            for (LoggedTransaction transaction : read(segment, newest)) {
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
     * The transactions of one segment. A frame that is cut short or fails its checksum ends the
     * newest segment (a crash during its last write, which nobody was told had succeeded); in any
     * other segment it is damage, and the registry refuses to guess.
     */
    static List<LoggedTransaction> read(Path segment, boolean newest) throws IOException {
        ByteBuffer bytes = ByteBuffer.wrap(Files.readAllBytes(segment));
        List<LoggedTransaction> transactions = new ArrayList<>();
        while (bytes.hasRemaining()) {
            int start = bytes.position();
            boolean whole = bytes.remaining() >= FRAME_HEADER;
            int length = whole ? bytes.getInt() : -1;
            int checksum = whole ? bytes.getInt() : 0;
            if (length == 0 && checksum == 0) {
                return transactions; // the written part of a preallocated segment ends here
            }
            if (length <= 0 || length > bytes.remaining() || checksum != crc(bytes.array(), bytes.position(), length)) {
                if (newest) {
                    return transactions;
                }
                throw new IOException("The commit log " + segment + " is damaged at byte " + start
                        + "; it was synced before a newer segment was started, so its transactions may be acknowledged");
            }
            transactions.add(LoggedTransaction.decode(
                    new DataInputStream(new ByteArrayInputStream(bytes.array(), bytes.position(), length))));
            bytes.position(bytes.position() + length);
        }
        return transactions;
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
        syncing.lock();
        try {
            if (durable >= number) {
                return; // a sync that began after this record was appended has finished
            }
            syncPending();
        } catch (IOException e) {
            throw new SQLRecoverableException("Could not write the commit log " + activeFile + "; the transaction is in the"
                    + " database but may not survive a crash: " + e.getMessage(), e);
        } finally {
            syncing.unlock();
        }
    }

    /** Under syncing. */
    private void syncPending() throws IOException {
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
            syncing.unlock();
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
            syncing.unlock();
        }
        Path nextFile = segmentFile(nextSegment++);
        FileChannel next = preallocated(nextFile, segmentBytes);
        syncing.lock();
        try {
            syncPending();
            active.close();
            closed.add(new Segment(activeFile, durable));
            active = next;
            activeFile = nextFile;
            activeBytes = 0;
        } catch (IOException | RuntimeException e) {
            next.close();
            throw e;
        } finally {
            syncing.unlock();
        }
    }

    /** Deletes the closed segments whose every record is at or before {@code checkpointed}. */
    void discardThrough(long checkpointed) throws IOException {
        syncing.lock();
        try {
            while (!closed.isEmpty() && closed.peek().lastRecord() <= checkpointed) {
                Files.deleteIfExists(closed.poll().file());
            }
        } finally {
            syncing.unlock();
        }
    }

    /** Before the log is shared. */
    private void startSegment() throws IOException {
        activeFile = segmentFile(nextSegment++);
        active = preallocated(activeFile, segmentBytes);
        activeBytes = 0;
    }

    private Path segmentFile(int number) {
        return database.resolveSibling(database.getFileName() + SUFFIX + number);
    }

    /**
     * A new segment, its whole size written (with zeros) and synced. Why: a sync that does not
     * change the file's size or allocation is a data-only write for the file system; a sync of a
     * growing file is a journal commit, which waits behind the one H2's once-a-second file sync
     * is making (measured: log syncs of 135-229 ms while the H2 file's sync took 145-413 ms,
     * holding every commit). A zero length ends a segment's records.
     */
    private static FileChannel preallocated(Path file, long bytes) throws IOException {
        FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
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
        Pattern name = Pattern.compile(Pattern.quote(database.getFileName() + SUFFIX) + "(\\d+)");
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
                syncPending();
            }
            active.close();
            if (fileHoldsAll && failure == null) {
                for (Segment segment : closed) {
                    Files.deleteIfExists(segment.file());
                }
                closed.clear();
                Files.deleteIfExists(activeFile);
            }
        } finally {
            syncing.unlock();
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
