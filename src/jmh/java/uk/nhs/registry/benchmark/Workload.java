package uk.nhs.registry.benchmark;

import java.io.IOException;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import uk.nhs.registry.testsupport.TestAppointments;
import uk.nhs.registry.testsupport.TestNhsNumbers;

/**
 * What the scenarios ask for: fresh registration bodies, and appointments already registered to
 * read, patients to search for and bookings to cancel. Shared by every worker, so thread-safe.
 */
final class Workload {

    /** The registration body; every one gets its own identifier and the patient of the moment. */
    private static final String TEMPLATE_NHS = "9434765919";
    private static final String TEMPLATE_ID = "urn:uuid:identifier-placeholder";

    private final String template = TestAppointments.json(
            TestAppointments.booked(TEMPLATE_NHS, TEMPLATE_ID, java.time.Instant.now().plus(java.time.Duration.ofDays(30))));
    private final String runId = Long.toString(System.currentTimeMillis(), 36);
    private final AtomicLong sequence = new AtomicLong();
    private final List<RegistryClient.Registered> registered = new CopyOnWriteArrayList<>();
    /**
     * Bounded: a register-only run adds ~1,000 a second and nothing takes them, and every one holds
     * its body (~2 KB); the mix cancels half as many as it registers, so it never fills.
     */
    private final Queue<RegistryClient.Registered> cancellable = new ArrayBlockingQueue<>(10_000);

    /** Registers one new appointment; patients cycle through the 999 test range so searches stay small. */
    boolean register(RegistryClient client) throws IOException, InterruptedException {
        long n = sequence.incrementAndGet();
        String nhs = TestNhsNumbers.valid((int) (n % 50_000));
        String body = template.replace(TEMPLATE_NHS, nhs).replace(TEMPLATE_ID, "urn:load:" + runId + ":" + n);
        RegistryClient.Registered r = client.register(nhs, body);
        if (r != null) {
            cancellable.offer(r); // dropped when full
        }
        return r != null;
    }

    /** The read and search set: registered before measuring, so reads never miss. */
    void remember(RegistryClient.Registered r) {
        registered.add(r);
    }

    RegistryClient.Registered anyRegistered() {
        return registered.get(ThreadLocalRandom.current().nextInt(registered.size()));
    }

    private volatile long seededPatients;

    /** Searches go to the first {@code patients} seeded patients instead of the prepared ones. */
    void searchSeededPatients(long patients) {
        this.seededPatients = patients;
    }

    String anyPatient() {
        long seeded = seededPatients;
        return seeded > 0 ? BulkSeeder.seededPatient(ThreadLocalRandom.current().nextLong(seeded)) : anyRegistered().nhsNumber();
    }

    /** A booked appointment nobody has cancelled yet, or null. */
    RegistryClient.Registered nextToCancel() {
        return cancellable.poll();
    }

    /** Prepares the read/search set: {@code patients} patients with {@code each} appointments. */
    void prepare(RegistryClient client, int patients, int each, int offset) throws IOException, InterruptedException {
        for (int p = 0; p < patients; p++) {
            String nhs = TestNhsNumbers.valid(60_000 + offset + p);
            for (int i = 0; i < each; i++) {
                long n = sequence.incrementAndGet();
                String body = template.replace(TEMPLATE_NHS, nhs).replace(TEMPLATE_ID, "urn:load:" + runId + ":" + n);
                RegistryClient.Registered r = client.register(nhs, body);
                if (r == null) {
                    throw new IllegalStateException("preparing the read set: registration refused");
                }
                remember(r);
            }
        }
    }
}
