package uk.nhs.registry.validation;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;
import org.hl7.fhir.dstu3.model.Appointment;

/**
 * Cold-JVM timings, which a test cannot give (an earlier test has already loaded the FHIR core
 * definitions). Run from the worktree root after {@code mvn test-compile}:
 * {@code java -cp target/test-classes:target/classes:$(cat cp.txt) uk.nhs.registry.validation.ValidationTiming [profilesDir]}
 */
public final class ValidationTiming {

    private ValidationTiming() {
    }

    public static void main(String[] args) {
        Optional<Path> dir = args.length > 0 ? Optional.of(Path.of(args[0])) : Optional.empty();
        long started = System.nanoTime();
        ProfileValidator validator = new ProfileValidator(dir);
        long built = System.nanoTime();
        validator.warmUp();
        long warmed = System.nanoTime();
        Appointment a = Appointments.valid();
        long[] runs = new long[200];
        for (int i = 0; i < runs.length; i++) {
            long t = System.nanoTime();
            validator.validate(a);
            runs[i] = System.nanoTime() - t;
        }
        Arrays.sort(runs);
        System.out.printf("cold JVM, profiles-dir %s: construction %d ms, warm-up %d ms, start-up %d ms;"
                        + " warm validation median %.2f ms (p90 %.2f ms, min %.2f ms) over %d runs%n",
                dir.map(Path::toString).orElse("unset"), (built - started) / 1_000_000, (warmed - built) / 1_000_000,
                (warmed - started) / 1_000_000, runs[runs.length / 2] / 1e6, runs[runs.length * 9 / 10] / 1e6,
                runs[0] / 1e6, runs.length);
    }
}
