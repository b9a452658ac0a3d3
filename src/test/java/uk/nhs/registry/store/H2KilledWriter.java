package uk.nhs.registry.store;

import static uk.nhs.registry.store.TestAppointments.FEED;
import static uk.nhs.registry.store.TestAppointments.booked;

import java.time.Instant;

/**
 * Child process for the kill test: registers appointments, prints each id once the store has
 * acknowledged it, then dies without closing anything, as a process killed by the OS would.
 */
public final class H2KilledWriter {

    static final int WRITES = 20;
    // Logging shares stdout with the acknowledgements.
    static final String ACKNOWLEDGED = "ACK ";

    private H2KilledWriter() {
    }

    public static void main(String[] args) {
        RegistryDatabase database = RegistryDatabase.open(args[0], "sa", "", 2);
        AppointmentStore store = new AppointmentStore(database.dataSource());
        for (int i = 0; i < WRITES; i++) {
            StoredAppointment stored = store.register(
                    booked("9000000009", Instant.parse("2030-01-01T09:00:00Z"), "killed-" + i),
                    "9000000009", FEED, "r" + i);
            System.out.println(ACKNOWLEDGED + stored.id());
        }
        System.out.flush();
        Runtime.getRuntime().halt(0);
    }
}
