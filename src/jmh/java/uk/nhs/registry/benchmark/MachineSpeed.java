package uk.nhs.registry.benchmark;

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Optional;
import org.hl7.fhir.dstu3.model.Appointment;
import uk.nhs.registry.testsupport.TestAppointments;
import uk.nhs.registry.validation.ProfileValidator;

/**
 * How fast this machine runs the registry's CPU-bound work at the time of a run: one warm validation of the
 * benchmark's registration body by the registry's validator, on one thread, in the driver's JVM before the registry
 * starts and after it stops (so nothing else is running).
 *
 * <p>Why: on a shared virtual machine the host's speed changes from hour to hour without showing as stolen CPU. The
 * same build's validation took 201 µs (median, JMH) in session 12 and 316 µs in session 14, and the registry's CPU
 * per registration and its paced tail latency moved with it. A run's figures mean little without this one beside
 * them.
 */
final class MachineSpeed {

    private MachineSpeed() {
    }

    /** Builds the validator, validates for {@code warmUp}, then times single validations for {@code measured}. */
    static String measure(String when, Duration warmUp, Duration measured) {
        long started = System.nanoTime();
        ProfileValidator validator = new ProfileValidator(Optional.empty());
        validator.warmUp();
        Appointment registration = TestAppointments.booked("9434765919", "urn:load:machine-speed", Instant.now().plus(Duration.ofDays(30)));
        long warmUntil = System.nanoTime() + warmUp.toNanos();
        while (System.nanoTime() < warmUntil) {
            validator.validate(registration);
        }
        long[] nanos = new long[100_000];
        int count = 0;
        long measureUntil = System.nanoTime() + measured.toNanos();
        while (count < nanos.length && System.nanoTime() < measureUntil) {
            long before = System.nanoTime();
            validator.validate(registration);
            nanos[count++] = System.nanoTime() - before;
        }
        long[] sorted = Arrays.copyOf(nanos, count);
        Arrays.sort(sorted);
        return String.format("machine speed %s: one warm validation of the registration body (the registry's validator,"
                + " one thread): p50 %.0f µs, p90 %.0f µs over %d validations (%d s in all)", when,
                sorted[count / 2] / 1e3, sorted[count * 9 / 10] / 1e3, count, Duration.ofNanos(System.nanoTime() - started).toSeconds());
    }
}
