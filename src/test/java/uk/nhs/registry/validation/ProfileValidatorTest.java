package uk.nhs.registry.validation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.hl7.fhir.dstu3.model.Appointment;
import org.hl7.fhir.dstu3.model.CodeableConcept;
import org.hl7.fhir.dstu3.model.Coding;
import org.hl7.fhir.dstu3.model.OperationOutcome.IssueType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import uk.nhs.registry.outcome.Issue;
import uk.nhs.registry.outcome.SpineCode;

class ProfileValidatorTest {

    private static final String GP_CONNECT_APPOINTMENT = "https://fhir.nhs.uk/STU3/StructureDefinition/GPConnect-Appointment-1";

    @Test
    void theValidAppointmentPasses() {
        assertThat(Validators.shipped().validate(Appointments.valid())).isEmpty();
    }

    @Test
    void invariantFindingsAreTypedAndLocated() {
        Appointment a = Appointments.valid();
        a.setEndElement(null);
        assertThat(Validators.shipped().validate(a)).contains(
                new Issue(IssueType.INVARIANT, SpineCode.INVALID_RESOURCE,
                        "app-3: Only proposed or cancelled appointments can be missing start/end dates", "Appointment"),
                new Issue(IssueType.INVARIANT, SpineCode.INVALID_RESOURCE,
                        "app-2: Either start and end are specified, or neither", "Appointment"));
    }

    @Test
    void aProfileNamedInMetaIsEnforcedWhenTheOperatorSuppliesIt() {
        // GPConnect-Appointment-1 forbids appointmentType (max 0); base STU3 and CareConnect allow it.
        Appointment a = Appointments.valid();
        a.setAppointmentType(new CodeableConcept(new Coding("http://hl7.org/fhir/v2/0276", "ROUTINE", null)));
        assertThat(Validators.withSharedProfiles().validate(a)).isEmpty();

        a.getMeta().addProfile(GP_CONNECT_APPOINTMENT);
        // HAPI locates a cardinality finding at the parent element; the text names the element itself.
        assertThat(Validators.withSharedProfiles().validate(a)).contains(new Issue(IssueType.STRUCTURE,
                SpineCode.INVALID_RESOURCE,
                "Appointment.appointmentType is not allowed, found 1 (profile GPConnect-Appointment-1)", "Appointment"));
        // The registry without the operator's folder does not hold it, and so does not reject for it.
        assertThat(Validators.shipped().validate(a)).isEmpty();
    }

    @Test
    void operatorDefinitionsAreHeld() {
        assertThat(Validators.withSharedProfiles().heldProfiles())
                .contains(ProfileValidator.CARE_CONNECT_APPOINTMENT, GP_CONNECT_APPOINTMENT);
        assertThat(Validators.shipped().heldProfiles()).containsExactly(ProfileValidator.CARE_CONNECT_APPOINTMENT);
    }

    @Test
    void theShippedDefinitionIsOurOwnDifferential() throws IOException {
        String shipped;
        try (InputStream in = ProfileValidator.class.getResourceAsStream("/profiles/CareConnect-Appointment-1.json")) {
            shipped = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        assertThat(shipped).contains("\"differential\"").doesNotContain("\"snapshot\"")
                .contains(ProfileValidator.CARE_CONNECT_APPOINTMENT);
    }

    @Test
    void anUnreadableOperatorFileStopsStartUp(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("broken.xml"), "<StructureDefinition xmlns=\"http://hl7.org/fhir\"><url");
        assertThatThrownBy(() -> new ProfileValidator(Optional.of(dir)))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("broken.xml");
    }

    @Test
    void oneValidatorServesConcurrentCallers() throws Exception {
        ProfileValidator validator = Validators.shipped();
        Appointment valid = Appointments.valid();
        Appointment invalid = Appointments.valid();
        invalid.setEndElement(null);
        List<Issue> expected = validator.validate(invalid);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Boolean>> results = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                boolean odd = i % 2 == 1;
                results.add(pool.submit(() -> odd
                        ? validator.validate(invalid.copy()).equals(expected)
                        : validator.validate(valid.copy()).isEmpty()));
            }
            for (Future<Boolean> result : results) {
                assertThat(result.get(60, TimeUnit.SECONDS)).isTrue();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /** Prints timings; asserts nothing about them (machines differ). See also {@link ValidationTiming}. */
    @Test
    void measure() {
        long started = System.nanoTime();
        ProfileValidator validator = new ProfileValidator(Optional.empty());
        long built = System.nanoTime();
        validator.warmUp();
        long warmed = System.nanoTime();
        Appointment a = Appointments.valid();
        long[] runs = new long[200];
        for (int i = 0; i < runs.length; i++) {
            long t = System.nanoTime();
            List<Issue> issues = validator.validate(a);
            runs[i] = System.nanoTime() - t;
            assertThat(issues).isEmpty();
        }
        Arrays.sort(runs);
        System.out.printf("ProfileValidator timing: construction %d ms, warm-up %d ms, start-up total %d ms;"
                        + " warm validation median %.2f ms (p90 %.2f ms) over %d runs%n",
                (built - started) / 1_000_000, (warmed - built) / 1_000_000, (warmed - started) / 1_000_000,
                runs[runs.length / 2] / 1e6, runs[runs.length * 9 / 10] / 1e6, runs.length);
    }
}
