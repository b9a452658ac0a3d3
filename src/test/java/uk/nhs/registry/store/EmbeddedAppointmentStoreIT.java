package uk.nhs.registry.store;

import static org.assertj.core.api.Assertions.assertThat;
import static uk.nhs.registry.store.TestAppointments.CLINICIAN;
import static uk.nhs.registry.store.TestAppointments.FEED;
import static uk.nhs.registry.store.TestAppointments.booked;
import static uk.nhs.registry.store.TestAppointments.cancelled;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import uk.nhs.registry.testsupport.Folders;

/**
 * The contract on an embedded file database, plus what only an embedded database can get wrong;
 * one subclass per embedded engine, which names its JDBC URL prefix.
 */
abstract class EmbeddedAppointmentStoreIT extends AppointmentStoreContractIT {

    /** The JDBC URL of a file database, without the path: e.g. {@code jdbc:hsqldb:file:}. */
    protected abstract String fileUrlPrefix();


    private final AtomicInteger databases = new AtomicInteger();
    private Path directory;
    private String url;

    @Override
    protected RegistryDatabase openDatabase() throws IOException {
        directory = Files.createTempDirectory("registry-embedded");
        url = fileUrlPrefix() + directory.resolve("registry");
        return RegistryDatabase.open(url, "sa", "", 20);
    }

    @Override
    protected RegistryDatabase openSecondPool() {
        return RegistryDatabase.open(url, "sa", "", 20);
    }

    @Override
    protected RegistryDatabase openEmptyDatabase() {
        return RegistryDatabase.open(
                fileUrlPrefix() + directory.resolve("empty-" + databases.incrementAndGet()), "sa", "", 2);
    }

    @Override
    protected void stopServer() {
        Folders.deleteRecursively(directory);
    }

    @Test
    void everyAcknowledgedWriteSurvivesClosingAndReopeningTheDatabase() throws Exception {
        List<StoredAppointment> acknowledged = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            StoredAppointment stored = store.register(booked(NHS_A, T1.plusSeconds(i), "restart-" + i), NHS_A, CLINICIAN, "r");
            acknowledged.add(i % 2 == 0 ? store.cancel(stored.id(), 1, cancelled(stored), FEED, "c") : stored);
        }

        database.close();
        database = RegistryDatabase.open(url, "sa", "", 20);
        store = new AppointmentStore(database.dataSource());

        for (StoredAppointment stored : acknowledged) {
            assertThat(store.read(stored.id())).contains(stored);
            assertThat(store.readVersion(stored.id(), 1)).isPresent();
        }
        assertThat(store.search(AppointmentQuery.forPatient(NHS_A))).containsExactlyElementsOf(acknowledged);
    }
}
