package uk.nhs.registry.validation;

import ca.uhn.fhir.validation.FhirValidator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.hl7.fhir.common.hapi.validation.validator.FhirInstanceValidator;
import org.hl7.fhir.dstu3.model.Appointment;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import uk.nhs.registry.Fhir;
import uk.nhs.registry.outcome.Issue;

/**
 * One warm validation of a registry-sized Appointment, single thread: the registry's validator
 * against stock HAPI (FhirValidator + FhirInstanceValidator over the same definitions), in one
 * run so the comparison shares the machine's conditions. Also the registry's whole registration
 * check (its own rules, then the profile). Sample mode prints the median (p0.50) and tail.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 4, time = 3)
@Measurement(iterations = 5, time = 3)
@Fork(value = 1, jvmArgs = {"-Xmx1g"})
public class ValidationBenchmark {

    private ProfileValidator registry;
    private FhirValidator stock;
    private AppointmentRules rules;
    private Appointment appointment;

    @Setup
    public void setUp() {
        registry = new ProfileValidator(Optional.empty());
        registry.warmUp();
        stock = ProfileValidator.fhirValidator(Fhir.context(),
                ProfileValidator.configured(new FhirInstanceValidator(registry.stockSupportChain())));
        rules = new AppointmentRules(registry);
        appointment = Appointments.valid();
    }

    @Benchmark
    public List<Issue> registryValidator() {
        return registry.validate(appointment);
    }

    @Benchmark
    public List<Issue> stockHapiValidator() {
        return ProfileValidator.validate(stock, appointment);
    }

    @Benchmark
    public String registrationRulesAndProfile() {
        return rules.checkRegistration(appointment);
    }
}
