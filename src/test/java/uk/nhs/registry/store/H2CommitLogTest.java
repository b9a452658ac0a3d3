package uk.nhs.registry.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;
import static uk.nhs.registry.store.AppointmentStoreContractIT.rows;
import static uk.nhs.registry.store.TestAppointments.CLINICIAN;
import static uk.nhs.registry.store.TestAppointments.FEED;
import static uk.nhs.registry.store.TestAppointments.booked;
import static uk.nhs.registry.store.TestAppointments.cancelled;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import uk.nhs.registry.ingest.TransientFailures;
import uk.nhs.registry.outcome.SpineCode;

/**
 * The embedded database's commit log: what a crash leaves of H2's file plus the log is every
 * acknowledged write. A crash is made here by copying the database file at one moment and the log
 * at a later one, which is what a killed process leaves: H2's file as of its last write, the log
 * as of its last sync.
 */
class H2CommitLogTest {

    private static final String NHS = "9000000009";
    private static final Instant START = Instant.parse("2030-01-01T09:00:00Z");
    private static final List<String> TABLES = List.of(
            "SELECT * FROM appointment ORDER BY id",
            "SELECT * FROM appointment_identifier ORDER BY id_system, id_value",
            "SELECT * FROM appointment_version ORDER BY id, version",
            "SELECT * FROM audit_event ORDER BY event_id");

    @TempDir
    Path directory;

    @Test
    void transactionsTheFileLacksAreMadeAgainFromTheLogAndThoseItHoldsAreNot() throws Exception {
        Path crashed = directory.resolve("crashed");
        List<List<List<Object>>> acknowledged;
        try (RegistryDatabase database = open(directory.resolve("live"))) {
            int before = writeSome(database.dataSource(), "before");
            checkpoints(database).checkpointNow();
            copyDatabaseFile(directory.resolve("live"), crashed); // the file holds the first writes only
            int after = writeSome(database.dataSource(), "after");
            acknowledged = contents(database.dataSource());
            copyLog(directory.resolve("live"), crashed);

            try (RegistryDatabase restarted = open(crashed)) {
                assertThat(checkpoints(restarted).log().replayed()).isEqualTo(new H2CommitLog.Replay(after, before));
                assertThat(contents(restarted.dataSource())).isEqualTo(acknowledged);
            }
        }
        assertThat(H2CommitLog.segments(crashed.resolve("registry"))).as("a clean close leaves no log").isEmpty();
        try (RegistryDatabase reopened = open(crashed)) {
            assertThat(checkpoints(reopened).log().replayed()).isEqualTo(new H2CommitLog.Replay(0, 0));
            assertThat(contents(reopened.dataSource())).isEqualTo(acknowledged);
        }
    }

    @Test
    void damageInASegmentThatANewerOneFollowsStopsTheStart() throws Exception {
        Path crashed = directory.resolve("crashed");
        Path live = directory.resolve("live");
        try (RegistryDatabase database = openCheckpointedByHand(live)) {
            checkpoints(database).checkpointNow(); // the file holds the schema
            copyDatabaseFile(live, crashed);
            writeSome(database.dataSource(), "w");
            checkpoints(database).log().closeSegmentIfFull(); // the segment is full at 1 byte
            writeSome(database.dataSource(), "x");
            copyLog(live, crashed);
        }
        assertThat(names(crashed)).containsExactly("registry.commitlog.1", "registry.commitlog.2");
        Path older = crashed.resolve("registry.commitlog.1");
        byte[] bytes = Files.readAllBytes(older);
        bytes[(int) endOfRecords(older) / 2] ^= 0x5a;
        Files.write(older, bytes);

        assertThatThrownBy(() -> open(crashed))
                .hasMessageContaining("commit log")
                .hasMessageContaining("is damaged at byte")
                .hasMessageContaining("registry.commitlog.2");
        assertThat(Files.readAllBytes(older)).as("left for an operator to look at").isEqualTo(bytes);
        JdbcDataSource file = new JdbcDataSource();
        file.setURL(url(crashed));
        file.setUser("sa");
        assertThat(rows(file, "SELECT COUNT(*) FROM appointment"))
                .as("nothing made again before the damage was found").containsExactly(List.of(0L));
    }

    @Test
    void aRecordCutShortAtTheEndOfTheLastRecordsWasNeverAcknowledgedAndIsLeftOut() throws Exception {
        Path crashed = directory.resolve("crashed");
        List<List<List<Object>>> acknowledged;
        try (RegistryDatabase database = open(directory.resolve("live"))) {
            copyDatabaseFile(directory.resolve("live"), crashed);
            int written = writeSome(database.dataSource(), "w");
            acknowledged = contents(database.dataSource());
            copyLog(directory.resolve("live"), crashed);
            // After the last record, a frame announcing 4 KB of which the crash wrote 10 bytes.
            Path newest = newestSegment(crashed);
            try (FileChannel channel = FileChannel.open(newest, StandardOpenOption.WRITE)) {
                channel.write(ByteBuffer.allocate(18).putInt(4096).putInt(12345).put(new byte[] {1, 2, 3}).flip(),
                        endOfRecords(newest));
            }
            // And a segment made for the next records when the crash came: empty, it does not make the cut-short
            // record damage.
            Files.write(crashed.resolve("registry.commitlog.2"), new byte[4096]);

            try (RegistryDatabase restarted = open(crashed)) {
                assertThat(checkpoints(restarted).log().replayed()).isEqualTo(new H2CommitLog.Replay(written, 0));
                assertThat(contents(restarted.dataSource())).isEqualTo(acknowledged);
            }
        }
    }

    @Test
    void aRecycledSegmentGivesBackOnlyWhatWasWrittenSinceItsReuse() throws Exception {
        Path crashed = directory.resolve("crashed");
        Path live = directory.resolve("live");
        List<List<List<Object>>> acknowledged;
        int written;
        try (RegistryDatabase database = openCheckpointedByHand(live)) {
            Object firstFile = fileKey(live.resolve("registry.commitlog.1"));
            for (int round = 1; round <= 3; round++) {
                writeSome(database.dataSource(), "o" + round); // records the recycled file will still hold
            }
            checkpoints(database).checkpointNow(); // 1 closed and retired; 2 new
            writeSome(database.dataSource(), "b");
            checkpoints(database).checkpointNow(); // 2 closed and retired; 3 is the spare that was 1
            assertThat(names(live)).containsExactly("registry.commitlog.3");
            assertThat(fileKey(live.resolve("registry.commitlog.3"))).as("no new file made").isEqualTo(firstFile);
            copyDatabaseFile(live, crashed);

            // The same sizes as o1's records: o2's then follow these whole, as a frame that looks right.
            written = writeSome(database.dataSource(), "c1");
            acknowledged = contents(database.dataSource());
            copyLog(live, crashed);
        }
        try (RegistryDatabase restarted = open(crashed)) {
            assertThat(checkpoints(restarted).log().replayed())
                    .as("the file's old records fail their check under the new number")
                    .isEqualTo(new H2CommitLog.Replay(written, 0));
            assertThat(contents(restarted.dataSource())).isEqualTo(acknowledged);
        }
    }

    @Test
    void aSegmentIsDeletedOnceASyncedCheckpointHoldsAllOfIt() throws Exception {
        Path live = directory.resolve("live");
        try (RegistryDatabase database = openCheckpointedByHand(live)) {
            AppointmentStore store = new AppointmentStore(database.dataSource());
            assertThat(names(live)).containsExactly("registry.commitlog.1");
            StoredAppointment stored = store.register(booked(NHS, START, "s-1"), NHS, FEED, "r1");
            assertThat(H2CommitLog.read(live.resolve("registry.commitlog.1")).transactions()).as("synced before the answer")
                    .hasSize(1);

            checkpoints(database).checkpointNow();
            assertThat(names(live)).hasSize(1).doesNotContain("registry.commitlog.1");

            store.cancel(stored.id(), 1, cancelled(stored), FEED, "r2");
            String second = names(live).get(0);
            checkpoints(database).checkpointNow();
            assertThat(names(live)).hasSize(1).doesNotContain(second);
            assertThat(store.read(stored.id()).orElseThrow().version()).isEqualTo(2);
        }
    }

    @Test
    void afterAFailedWriteToTheLogEveryWriteIsRefusedAndReadinessIsDown() throws Exception {
        try (RegistryDatabase database = open(directory.resolve("live"))) {
            AppointmentStore store = new AppointmentStore(database.dataSource());
            StoredAppointment kept = store.register(booked(NHS, START, "k-1"), NHS, FEED, "r1");
            assertThat(store.isReachable()).isTrue();

            // The log's file channel closed under it: its next write fails with an IOException, as on a failed disk.
            checkpoints(database).log().close(false);
            Throwable failed = catchThrowable(() -> store.register(booked(NHS, START, "k-2"), NHS, FEED, "r2"));
            assertThat(failed).isInstanceOf(StoreException.class).hasStackTraceContaining("may not survive a crash");
            assertThat(TransientFailures.isTransient(failed)).as("a feed leaves the message to its transport").isTrue();
            assertThat(store.isReachable()).as("readiness").isFalse();
            assertThatThrownBy(() -> store.cancel(kept.id(), 1, cancelled(kept), FEED, "r3"))
                    .isInstanceOf(StoreException.class)
                    .hasStackTraceContaining("no write is committed until the registry is restarted")
                    .satisfies(refused -> assertThat(TransientFailures.isTransient(refused)).isTrue());
            assertThat(store.read(kept.id()).orElseThrow().version()).as("the refused cancel changed nothing").isEqualTo(1);
        }
    }

    /**
     * Commits that wait while another writer holds the log are woken by its release (H2CommitLog.release):
     * when the log fails under many writers, every one of them comes back (none is left parked), each
     * refused once the log has failed, and every acknowledged write is in the table. How fast they are
     * woken is a benchmark's question (README, session 16), not this test's.
     */
    @Test
    void writersWaitingForAFailedSyncAllComeBackRefused() throws Exception {
        int writers = 8;
        try (RegistryDatabase database = open(directory.resolve("live"))) {
            AppointmentStore store = new AppointmentStore(database.dataSource());
            ExecutorService pool = Executors.newFixedThreadPool(writers);
            try {
                CountDownLatch started = new CountDownLatch(writers);
                List<Future<List<Throwable>>> done = new ArrayList<>();
                AtomicInteger acknowledged = new AtomicInteger();
                for (int w = 0; w < writers; w++) {
                    int writer = w;
                    done.add(pool.submit(() -> {
                        List<Throwable> refusals = new ArrayList<>();
                        started.countDown();
                        for (int i = 0; i < 100_000 && refusals.isEmpty(); i++) {
                            try {
                                store.register(booked(NHS, START, "w-" + writer + "-" + i), NHS, FEED, "r");
                                acknowledged.incrementAndGet();
                            } catch (StoreException e) {
                                refusals.add(e);
                            }
                        }
                        return refusals;
                    }));
                }
                started.await(10, TimeUnit.SECONDS);
                Thread.sleep(50);
                checkpoints(database).log().close(false);
                for (Future<List<Throwable>> writer : done) {
                    List<Throwable> refusals = writer.get(30, TimeUnit.SECONDS);
                    assertThat(refusals).as("a writer still writing when the log failed is refused").hasSize(1);
                    assertThat(TransientFailures.isTransient(refusals.get(0))).isTrue();
                }
                assertThat(AppointmentStoreContractIT.count(database.dataSource(), "SELECT COUNT(*) FROM appointment"))
                        .as("every acknowledged registration, and no more than were tried").isBetween(
                                (long) acknowledged.get(), (long) acknowledged.get() + writers);
            } finally {
                pool.shutdownNow();
            }
        }
    }

    @Test
    void writesTheLogCouldNotMakeAgainAreRefusedAndChangeNothing() throws Exception {
        try (RegistryDatabase database = open(directory.resolve("live"))) {
            DataSource dataSource = database.dataSource();
            new AuditTrail(dataSource).record(rejected("kept"));
            try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
                assertThatThrownBy(() -> statement.executeUpdate("DELETE FROM audit_event"))
                        .isInstanceOf(SQLFeatureNotSupportedException.class)
                        .hasMessageContaining("commit log");
            }
            try (Connection connection = dataSource.getConnection();
                    PreparedStatement update = connection.prepareStatement("UPDATE audit_event SET recorded_at = 1"
                            + " WHERE recorded_at < ?")) {
                update.setTimestamp(1, Timestamp.from(Instant.now()));
                assertThatThrownBy(update::executeUpdate)
                        .isInstanceOf(SQLFeatureNotSupportedException.class)
                        .hasMessageContaining(Timestamp.class.getName());
            }
            assertThat(rows(dataSource, "SELECT request_id, recorded_at FROM audit_event"))
                    .containsExactly(List.of("kept", 1_700_000_000_000L));
        }
    }

    /** Registrations (one without a start), a cancel and a rejected write; returns the transactions made. */
    private static int writeSome(DataSource dataSource, String prefix) {
        AppointmentStore store = new AppointmentStore(dataSource);
        StoredAppointment first = store.register(booked(NHS, START, prefix + "-1", prefix + "-2"), NHS, CLINICIAN, prefix + "r1");
        store.register(booked(NHS, null, prefix + "-3"), NHS, FEED, prefix + "r2");
        store.cancel(first.id(), 1, cancelled(first), FEED, prefix + "r3");
        new AuditTrail(dataSource).record(rejected(prefix + "r4"));
        return 4;
    }

    private static AuditEvent rejected(String requestId) {
        return new AuditEvent(Instant.ofEpochMilli(1_700_000_000_000L), requestId, AuditEvent.CREATE, null, null, 422,
                SpineCode.DUPLICATE_REJECTED, null);
    }

    private static List<List<List<Object>>> contents(DataSource dataSource) throws SQLException {
        List<List<List<Object>>> tables = new ArrayList<>();
        for (String table : TABLES) {
            tables.add(rows(dataSource, table));
        }
        return tables;
    }

    /** With 1-byte segments, so that every checkpoint starts a new one, and only the test's own checkpoints. */
    private static RegistryDatabase openCheckpointedByHand(Path folder) {
        return RegistryDatabase.open(url(folder), "sa", "", 4, 1, TimeUnit.HOURS.toMillis(1));
    }

    private static RegistryDatabase open(Path folder) {
        return RegistryDatabase.open(url(folder), "sa", "", 4);
    }

    private static String url(Path folder) {
        return "jdbc:h2:file:" + folder.resolve("registry");
    }

    private static H2Checkpoints checkpoints(RegistryDatabase database) throws SQLException {
        return database.dataSource().unwrap(CommitLogDataSource.class).checkpoints();
    }

    private static void copyDatabaseFile(Path from, Path to) throws IOException {
        Files.createDirectories(to);
        Files.copy(from.resolve("registry.mv.db"), to.resolve("registry.mv.db"));
    }

    private static void copyLog(Path from, Path to) throws IOException {
        for (Path segment : H2CommitLog.segments(from.resolve("registry"))) {
            Files.copy(segment, to.resolve(segment.getFileName()));
        }
    }

    private static Path newestSegment(Path folder) throws IOException {
        List<Path> segments = H2CommitLog.segments(folder.resolve("registry"));
        return segments.get(segments.size() - 1);
    }

    /** Where the records of a segment end and its preallocated zeros begin. */
    private static long endOfRecords(Path segment) throws IOException {
        ByteBuffer bytes = ByteBuffer.wrap(Files.readAllBytes(segment));
        while (bytes.remaining() >= 8 && bytes.getInt(bytes.position()) != 0) {
            bytes.position(bytes.position() + 8 + bytes.getInt(bytes.position()));
        }
        return bytes.position();
    }

    private static Object fileKey(Path file) throws IOException {
        return Files.readAttributes(file, BasicFileAttributes.class).fileKey();
    }

    private static List<String> names(Path folder) throws IOException {
        return H2CommitLog.segments(folder.resolve("registry")).stream().map(p -> p.getFileName().toString()).toList();
    }
}
