package uk.nhs.registry.benchmark;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.hl7.fhir.dstu3.model.Appointment;
import uk.nhs.registry.testsupport.TestAppointments;
import uk.nhs.registry.validation.ProfileValidator;

/**
 * How fast this machine runs the registry's CPU-bound work at the time of a run: one warm validation of the
 * benchmark's registration body by the registry's validator, on one thread, in a JVM of its own started before the
 * registry and again after it stops (so nothing else is running, and both start equally cold).
 *
 * <p>Why: on a shared virtual machine the host's speed changes from hour to hour, and within a run, without showing
 * as stolen CPU. The same build's validation took 201 µs (median, JMH) in session 12 and 316 µs in session 14, and
 * the registry's CPU per registration and its paced tail latency moved with it. A run's figures mean little without
 * this one beside them.
 */
final class MachineSpeed {

    private static final String RESULT = "machine speed ";
    private static final Duration WARM_UP = Duration.ofSeconds(5);
    private static final Duration MEASURED = Duration.ofSeconds(10);

    private MachineSpeed() {
    }

    /** Runs {@link #main} in a new JVM on this JVM's class path and returns its result line, or why there is none. */
    static String measureInNewJvm(String when) throws IOException, InterruptedException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process process = new ProcessBuilder(List.of(java.toString(), "-Xmx256m", "-cp", System.getProperty("java.class.path"),
                MachineSpeed.class.getName(), when)).redirectErrorStream(true).start();
        String result = null;
        try (BufferedReader output = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = output.readLine(); line != null; line = output.readLine()) {
                if (line.startsWith(RESULT)) {
                    result = line; // the validator's own log lines are not the benchmark's output
                }
            }
        }
        int exit = process.waitFor();
        return result != null ? result : RESULT + when + ": not measured (the check exited with " + exit + ")";
    }

    /** The check itself: builds the validator, validates for 5 s, then times single validations for 10 s. */
    public static void main(String[] args) {
        long started = System.nanoTime();
        ProfileValidator validator = new ProfileValidator(Optional.empty());
        validator.warmUp();
        Appointment registration = TestAppointments.booked("9434765919", "urn:load:machine-speed", Instant.now().plus(Duration.ofDays(30)));
        long warmUntil = System.nanoTime() + WARM_UP.toNanos();
        while (System.nanoTime() < warmUntil) {
            validator.validate(registration);
        }
        long[] nanos = new long[200_000];
        int count = 0;
        long measureUntil = System.nanoTime() + MEASURED.toNanos();
        while (count < nanos.length && System.nanoTime() < measureUntil) {
            long before = System.nanoTime();
            validator.validate(registration);
            nanos[count++] = System.nanoTime() - before;
        }
        long[] sorted = Arrays.copyOf(nanos, count);
        Arrays.sort(sorted);
        System.out.printf(RESULT + "%s: one warm validation of the registration body (the registry's validator, one thread,"
                + " a new JVM): p50 %.0f µs, p90 %.0f µs over %d validations (%d s in all)%n", args.length > 0 ? args[0] : "",
                sorted[count / 2] / 1e3, sorted[count * 9 / 10] / 1e3, count, Duration.ofNanos(System.nanoTime() - started).toSeconds());
    }
}
