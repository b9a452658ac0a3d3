package uk.nhs.registry.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RegistryDatabaseIT {

    @Test
    void fileDatabasesAreClosedByTheApplicationWithASmallPageCacheAndShortRetention() {
        assertThat(RegistryDatabase.withH2Defaults(RegistryDatabase.DEFAULT_URL))
                .isEqualTo("jdbc:h2:file:./data/registry;DB_CLOSE_ON_EXIT=FALSE;CACHE_SIZE=2048;RETENTION_TIME=5000;WRITE_DELAY=50"
                        + ";AUTO_COMPACT_FILL_RATE=0");
        assertThat(RegistryDatabase.withH2Defaults(
                "jdbc:h2:./data/registry;db_close_on_exit=true;cache_size=65536;retention_time=45000;write_delay=500;auto_compact_fill_rate=90"))
                .isEqualTo("jdbc:h2:./data/registry;db_close_on_exit=true;cache_size=65536;retention_time=45000;write_delay=500"
                        + ";auto_compact_fill_rate=90");
    }

    /**
     * Every commit waits until it is in the commit log on the disk (the kill test in
     * H2AppointmentStoreIT and H2CommitLogTest prove that), but commits that arrive together
     * share one sync.
     */
    @Test
    void concurrentCommitsShareLogSyncs(@TempDir Path directory) throws Exception {
        int writers = 8;
        int each = 25;
        try (RegistryDatabase database = RegistryDatabase.open("jdbc:h2:file:" + directory.resolve("shared"), "sa", "", writers)) {
            AppointmentStore store = new AppointmentStore(database.dataSource());
            ExecutorService pool = Executors.newFixedThreadPool(writers);
            List<Future<?>> done = new ArrayList<>();
            for (int w = 0; w < writers; w++) {
                int writer = w;
                done.add(pool.submit(() -> {
                    for (int i = 0; i < each; i++) {
                        store.register(TestAppointments.booked("9000000009", null, "g-" + writer + "-" + i), "9000000009",
                                TestAppointments.FEED, "r");
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get(60, TimeUnit.SECONDS);
            }
            pool.shutdown();
            assertThat(AppointmentStoreContractIT.count(database.dataSource(), "SELECT COUNT(*) FROM appointment"))
                    .isEqualTo(writers * each);
            long syncs = database.dataSource().unwrap(CommitLogDataSource.class).checkpoints().log().syncs();
            assertThat(syncs).isPositive().isLessThan(writers * each);
        }
    }

    /** H2 reuses a dead chunk's space 5 s after it died: its own unsynced writes must be on disk by then. */
    @Test
    void syncsTheFilePeriodicallyWithoutCommitsAndStopsWhenClosed(@TempDir Path directory) throws Exception {
        H2Checkpoints checkpoints;
        try (RegistryDatabase database = RegistryDatabase.open("jdbc:h2:file:" + directory.resolve("idle"), "sa", "", 2)) {
            checkpoints = database.dataSource().unwrap(CommitLogDataSource.class).checkpoints();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (checkpoints.checkpoints() < 2 && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            assertThat(checkpoints.checkpoints()).isGreaterThanOrEqualTo(2);
            assertThat(checkpoints.log().syncs()).as("no commit asked for a log sync").isZero();
        }
        long afterClose = checkpoints.checkpoints();
        Thread.sleep(2 * H2Checkpoints.INTERVAL_MILLIS);
        assertThat(checkpoints.checkpoints()).isEqualTo(afterClose);
    }

    @Test
    void memoryDatabasesOutliveTheirConnections() {
        assertThat(RegistryDatabase.withH2Defaults("jdbc:h2:mem:registry"))
                .isEqualTo("jdbc:h2:mem:registry;DB_CLOSE_DELAY=-1");
    }

    @Test
    void otherUrlsAreLeftAlone() {
        for (String url : List.of("jdbc:postgresql://db:5432/registry", "jdbc:h2:tcp://db/registry")) {
            assertThat(RegistryDatabase.withH2Defaults(url)).isEqualTo(url);
        }
    }

    @Test
    void migratesAnInMemoryDatabaseAndKeepsItWhileOpen() throws Exception {
        try (RegistryDatabase database = RegistryDatabase.open("jdbc:h2:mem:registry-test", "sa", "", 2)) {
            new AppointmentStore(database.dataSource()).register(
                    TestAppointments.booked("9000000009", null, "mem-1"), "9000000009", TestAppointments.FEED, "r");
            assertThat(AppointmentStoreContractIT.count(database.dataSource(), "SELECT COUNT(*) FROM appointment"))
                    .isEqualTo(1);
        }
    }

    @Test
    void failsToOpenWhenTheDatabaseIsUnusable() {
        assertThatThrownBy(() -> RegistryDatabase.open("jdbc:h2:mem:x;INIT=RUNSCRIPT FROM 'nowhere.sql'", "sa", "", 1))
                .isInstanceOf(RuntimeException.class);
    }
}
