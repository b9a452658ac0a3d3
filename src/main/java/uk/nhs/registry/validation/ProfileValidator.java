package uk.nhs.registry.validation;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.PerformanceOptionsEnum;
import ca.uhn.fhir.context.support.DefaultProfileValidationSupport;
import ca.uhn.fhir.context.support.IValidationSupport;
import ca.uhn.fhir.context.support.ValidationSupportContext;
import ca.uhn.fhir.validation.FhirValidator;
import ca.uhn.fhir.validation.ValidationOptions;
import ca.uhn.fhir.validation.ValidationResult;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.hl7.fhir.common.hapi.validation.support.CommonCodeSystemsTerminologyService;
import org.hl7.fhir.common.hapi.validation.support.InMemoryTerminologyServerValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.PrePopulatedValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.SnapshotGeneratingValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.UnknownCodeSystemWarningValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.ValidationSupportChain;
import org.hl7.fhir.common.hapi.validation.validator.FhirInstanceValidator;
import org.hl7.fhir.common.hapi.validation.validator.WorkerContextValidationSupportAdapter;
import org.hl7.fhir.dstu3.model.Appointment;
import org.hl7.fhir.dstu3.model.Appointment.AppointmentStatus;
import org.hl7.fhir.dstu3.model.Appointment.ParticipationStatus;
import org.hl7.fhir.dstu3.model.Identifier;
import org.hl7.fhir.dstu3.model.InstantType;
import org.hl7.fhir.dstu3.model.MetadataResource;
import org.hl7.fhir.dstu3.model.Reference;
import org.hl7.fhir.dstu3.model.StructureDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import uk.nhs.registry.Fhir;
import uk.nhs.registry.outcome.Issue;

/**
 * Validates Appointments against the base STU3 Appointment, CareConnect-Appointment-1 and whatever
 * profiles the resource names in meta.profile that the registry holds.
 *
 * <p>Building this is expensive (the core definitions are loaded and every profile's snapshot is
 * generated), so build one per process and share it: after construction nothing in it changes,
 * and each call borrows a validator of its own from a fixed pool (PooledInstanceValidator), so
 * concurrent calls are safe. Its verdicts equal stock HAPI's (StockHapiDifferentialIT).
 */
public final class ProfileValidator {

    public static final String CARE_CONNECT_APPOINTMENT =
            "https://fhir.hl7.org.uk/STU3/StructureDefinition/CareConnect-Appointment-1";

    private static final Logger LOG = LoggerFactory.getLogger(ProfileValidator.class);

    static {
        // HAPI's validator keeps a process-wide R5 context only to name R5 resource classes; scanning
        // eagerly, it held the child definitions of 90 R5 types (~16 MB of heap). Deferred, it holds
        // little more than the names.
        WorkerContextValidationSupportAdapter.FHIR_CONTEXT_R5.setPerformanceOptions(
                PerformanceOptionsEnum.DEFERRED_MODEL_SCANNING);
    }

    private final FhirContext ctx = Fhir.context();
    private final PrePopulatedValidationSupport registryDefinitions;
    private final ValidationSupportChain supportChain;
    private final FhirValidator validator;
    private final Set<String> heldProfiles;

    public ProfileValidator(Optional<Path> profilesDir) {
        long started = System.nanoTime();
        Map<String, MetadataResource> definitions = ConformanceResources.load(ctx, profilesDir);
        Set<String> profiledTypes = definitions.values().stream()
                .filter(StructureDefinition.class::isInstance)
                .map(d -> ((StructureDefinition) d).getType())
                .collect(Collectors.toSet());
        List<IValidationSupport> core = List.of(CoreDefinitions.keep(ctx, profiledTypes), CoreTerminology.load(ctx));
        List<MetadataResource> withSnapshots = withSnapshots(definitions.values(), core);

        this.registryDefinitions = new PrePopulatedValidationSupport(ctx);
        withSnapshots.forEach(registryDefinitions::addResource);
        registryDefinitions.lock();

        this.heldProfiles = withSnapshots.stream()
                .filter(StructureDefinition.class::isInstance)
                .map(MetadataResource::getUrl)
                .collect(Collectors.toUnmodifiableSet());
        this.supportChain = new ValidationSupportChain(supports(core, registryDefinitions));
        // One InstanceValidator per core at most: validation is CPU-bound (see PooledInstanceValidator).
        this.validator = fhirValidator(ctx, configured(new PooledInstanceValidator(supportChain,
                Math.max(2, Runtime.getRuntime().availableProcessors()))));
        LOG.info("Profile validator ready in {} ms with {} registry/operator definitions",
                (System.nanoTime() - started) / 1_000_000, withSnapshots.size());
    }

    /** The registry's settings on a HAPI instance validator; shared with the differential test. */
    static FhirInstanceValidator configured(FhirInstanceValidator instanceValidator) {
        // A meta.profile the registry does not hold is not a reason to reject (CONTRACT §1).
        instanceValidator.setErrorForUnknownProfiles(false);
        // Extensions the registry has no definition for are the provider's business, not a rejection.
        instanceValidator.setAnyExtensionsAllowed(true);
        instanceValidator.setNoExtensibleWarnings(true);
        return instanceValidator;
    }

    static FhirValidator fhirValidator(FhirContext ctx, FhirInstanceValidator instanceValidator) {
        FhirValidator v = ctx.newValidator();
        v.setValidateAgainstStandardSchema(false);
        v.setValidateAgainstStandardSchematron(false);
        v.registerValidatorModule(instanceValidator);
        return v;
    }

    /**
     * What a stock HAPI set-up would ask: the same modules and registry definitions, but HAPI's
     * whole FHIR core instead of {@link CoreDefinitions} and {@link CoreTerminology}; for the
     * differential test and benchmark.
     */
    IValidationSupport stockSupportChain() {
        return new ValidationSupportChain(supports(List.of(new DefaultProfileValidationSupport(ctx)), registryDefinitions));
    }

    /**
     * The modules the validator asks, in order. The FHIR core (its definitions, then its
     * terminology) comes first so that no definition in the operator's folder can replace the base
     * STU3 Appointment and weaken its invariants; the registry's and operator's profiles have URLs
     * of their own. Terminology the registry cannot check (SNOMED CT, NHS code systems it does not
     * hold) must not reject an appointment, so the last module turns "unknown code system" into a
     * warning rather than an error.
     */
    private IValidationSupport[] supports(List<IValidationSupport> core, PrePopulatedValidationSupport registryDefinitions) {
        UnknownCodeSystemWarningValidationSupport unknownCodeSystems = new UnknownCodeSystemWarningValidationSupport(ctx);
        unknownCodeSystems.setNonExistentCodeSystemSeverity(IValidationSupport.IssueSeverity.WARNING);
        List<IValidationSupport> chain = new ArrayList<>(core);
        chain.add(registryDefinitions);
        chain.add(new CommonCodeSystemsTerminologyService(ctx));
        chain.add(new InMemoryTerminologyServerValidationSupport(ctx));
        chain.add(new SnapshotGeneratingValidationSupport(ctx));
        chain.add(unknownCodeSystems);
        return chain.toArray(IValidationSupport[]::new);
    }

    /**
     * Generates every differential-only profile's snapshot now, against a throw-away chain, so the
     * definitions the validator finally holds are complete: no request pays for snapshot
     * generation, and a profile that cannot be expanded stops start-up instead of failing requests.
     */
    private List<MetadataResource> withSnapshots(Collection<MetadataResource> definitions, List<IValidationSupport> core) {
        PrePopulatedValidationSupport differentials = new PrePopulatedValidationSupport(ctx);
        definitions.forEach(differentials::addResource);
        ValidationSupportChain chain = new ValidationSupportChain(supports(core, differentials));
        ValidationSupportContext supportContext = new ValidationSupportContext(chain);
        List<MetadataResource> result = new ArrayList<>();
        for (MetadataResource definition : definitions) {
            if (definition instanceof StructureDefinition sd && !sd.hasSnapshot()) {
                try {
                    result.add((StructureDefinition) chain.generateSnapshot(
                            supportContext, sd, sd.getUrl(), sd.getUrl(), sd.getName()));
                } catch (RuntimeException e) {
                    throw new IllegalStateException("Cannot generate the snapshot of " + sd.getUrl() + ": " + e.getMessage(), e);
                }
            } else {
                result.add(definition);
            }
        }
        return result;
    }

    /** The profile URLs this validator holds beyond the FHIR core (shipped and operator-supplied). */
    public Set<String> heldProfiles() {
        return heldProfiles;
    }

    /** Only error and fatal findings; warnings and information never reject. */
    public List<Issue> validate(Appointment appointment) {
        return validate(validator, appointment);
    }

    /** What the registry asks of any HAPI validator: the CareConnect profile always, findings as issues. */
    static List<Issue> validate(FhirValidator validator, Appointment appointment) {
        ValidationOptions options = new ValidationOptions().addProfile(CARE_CONNECT_APPOINTMENT);
        ValidationResult result = validator.validateWithResult(appointment, options);
        return ValidationFindings.toIssues(result.getMessages());
    }

    /**
     * Validates a representative appointment once, so that class loading, FHIRPath compilation and
     * terminology caches are paid for at start-up rather than by the first caller.
     */
    public void warmUp() {
        long started = System.nanoTime();
        Appointment sample = new Appointment();
        sample.getMeta().addProfile(CARE_CONNECT_APPOINTMENT);
        sample.addIdentifier().setSystem("https://fhir.nhs.uk/Id/warm-up").setValue("1");
        sample.setStatus(AppointmentStatus.BOOKED);
        sample.setStartElement(new InstantType("2030-01-01T09:00:00+00:00"));
        sample.setEndElement(new InstantType("2030-01-01T09:15:00+00:00"));
        sample.getCreatedElement().setValueAsString("2029-12-01T09:00:00+00:00");
        sample.addParticipant()
                .setActor(new Reference().setIdentifier(new Identifier()
                        .setSystem(PatientIdentity.NHS_NUMBER_SYSTEM).setValue("9434765919")))
                .setStatus(ParticipationStatus.ACCEPTED);
        List<Issue> issues = validate(sample);
        if (!issues.isEmpty()) {
            // The sample is valid by construction; findings mean the definitions are broken.
            throw new IllegalStateException("The warm-up appointment failed validation: " + issues);
        }
        LOG.info("Profile validator warmed up in {} ms", (System.nanoTime() - started) / 1_000_000);
    }
}
