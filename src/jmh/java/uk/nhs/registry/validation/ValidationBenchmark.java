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
 * check (its own rules, then the profile), and the medTech flavour's R4 validator and create check
 * (CONTRACT §7) beside them. Sample mode prints the median (p0.50) and tail.
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
    private R4ProfileValidator r4;
    private MedtechAppointmentRules medtechRules;
    private org.hl7.fhir.r4.model.Appointment r4Booked;
    private org.hl7.fhir.r4.model.Appointment r4Proposed;

    @Setup
    public void setUp() {
        registry = new ProfileValidator(Optional.empty());
        registry.warmUp();
        stock = ProfileValidator.fhirValidator(Fhir.context(),
                ProfileValidator.configured(new FhirInstanceValidator(registry.stockSupportChain())));
        rules = new AppointmentRules(registry);
        appointment = Appointments.valid();
        r4 = new R4ProfileValidator();
        r4.warmUp();
        medtechRules = new MedtechAppointmentRules(r4);
        r4Proposed = uk.nhs.registry.testsupport.MedtechExamples.igExample();
        r4Booked = r4Proposed.copy().setStatus(org.hl7.fhir.r4.model.Appointment.AppointmentStatus.BOOKED);
    }

    /** The medTech flavour: one warm R4 validation of the IG example as stored (booked). */
    @Benchmark
    public List<Issue> r4Validator() {
        return r4.validate(r4Booked);
    }

    /** The medTech flavour's whole create check: its rules, then R4 validation. */
    @Benchmark
    public MedtechAppointmentRules.Booking r4CreationRulesAndValidation() {
        return medtechRules.checkCreation(r4Proposed);
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
