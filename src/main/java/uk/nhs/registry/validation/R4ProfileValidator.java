package uk.nhs.registry.validation;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.support.IValidationSupport;
import ca.uhn.fhir.validation.FhirValidator;
import ca.uhn.fhir.validation.ValidationResult;
import java.util.List;
import java.util.Set;
import org.hl7.fhir.common.hapi.validation.support.CommonCodeSystemsTerminologyService;
import org.hl7.fhir.common.hapi.validation.support.InMemoryTerminologyServerValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.SnapshotGeneratingValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.UnknownCodeSystemWarningValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.ValidationSupportChain;
import org.hl7.fhir.r4.model.Appointment;
import org.hl7.fhir.r4.model.Appointment.AppointmentStatus;
import org.hl7.fhir.r4.model.Appointment.ParticipationStatus;
import org.hl7.fhir.r4.model.InstantType;
import org.hl7.fhir.r4.model.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import uk.nhs.registry.Fhir;
import uk.nhs.registry.outcome.Issue;

/**
 * Validates R4 Appointments against the base FHIR R4 (4.0.1) Appointment, for the medTech flavour
 * (CONTRACT §7): the IG publishes no profile the registry could hold, so the base resource and its
 * invariants (app-1 to app-3) are what applies.
 *
 * <p>Built like {@link ProfileValidator}, and as expensive, so one per process, built and warmed at
 * start-up: the same pooled instance validator, worker-context cache, settings and translation of
 * findings into issues; what differs is the FHIR version of the core it is given. The core is the
 * part of HAPI's R4 core an Appointment can reach ({@link CoreDefinitions}, {@link CoreTerminology}):
 * HAPI's whole R4 core held ≈ 160 MB more live heap and cost ≈ 30 % more start-up CPU.
 */
public final class R4ProfileValidator {

    private static final Logger LOG = LoggerFactory.getLogger(R4ProfileValidator.class);

    private final FhirContext ctx = Fhir.r4();
    private final FhirValidator validator;

    public R4ProfileValidator() {
        long started = System.nanoTime();
        UnknownCodeSystemWarningValidationSupport unknownCodeSystems = new UnknownCodeSystemWarningValidationSupport(ctx);
        unknownCodeSystems.setNonExistentCodeSystemSeverity(IValidationSupport.IssueSeverity.WARNING);
        // The core first, so nothing later in the chain can replace the base Appointment (as for STU3).
        ValidationSupportChain chain = new ValidationSupportChain(
                CoreDefinitions.keep(ctx, Set.of()),
                CoreTerminology.load(ctx),
                new CommonCodeSystemsTerminologyService(ctx),
                new InMemoryTerminologyServerValidationSupport(ctx),
                new SnapshotGeneratingValidationSupport(ctx),
                unknownCodeSystems);
        this.validator = ProfileValidator.fhirValidator(ctx, ProfileValidator.configured(
                new PooledInstanceValidator(chain, Math.max(2, Runtime.getRuntime().availableProcessors()))));
        LOG.info("R4 profile validator ready in {} ms", (System.nanoTime() - started) / 1_000_000);
    }

    /** Only error and fatal findings; warnings and information never reject. */
    public List<Issue> validate(Appointment appointment) {
        ValidationResult result = validator.validateWithResult(appointment);
        return ValidationFindings.toIssues(result.getMessages());
    }

    /**
     * Validates a representative booked appointment once, so that loading the R4 core, class
     * loading and FHIRPath compilation are paid for at start-up rather than by the first caller.
     */
    public void warmUp() {
        long started = System.nanoTime();
        Appointment sample = new Appointment();
        sample.addIdentifier().setSystem("urn:appointment-registry:warm-up").setValue("1");
        sample.setStatus(AppointmentStatus.BOOKED);
        sample.setStartElement(new InstantType("2030-01-01T09:00:00+00:00"));
        sample.setEndElement(new InstantType("2030-01-01T09:15:00+00:00"));
        sample.addParticipant().setActor(new Reference("Patient/warm-up")).setStatus(ParticipationStatus.ACCEPTED);
        sample.addParticipant().setActor(new Reference("Practitioner/warm-up")).setStatus(ParticipationStatus.ACCEPTED);
        List<Issue> issues = validate(sample);
        if (!issues.isEmpty()) {
            // The sample is valid by construction; findings mean the definitions are broken.
            throw new IllegalStateException("The R4 warm-up appointment failed validation: " + issues);
        }
        LOG.info("R4 profile validator warmed up in {} ms", (System.nanoTime() - started) / 1_000_000);
    }
}
