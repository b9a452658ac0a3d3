package uk.nhs.registry.validation;

import ca.uhn.fhir.context.ConfigurationException;
import ca.uhn.fhir.context.support.IValidationSupport;
import ca.uhn.fhir.rest.api.EncodingEnum;
import ca.uhn.fhir.validation.IValidationContext;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Semaphore;
import org.hl7.fhir.common.hapi.validation.validator.FhirInstanceValidator;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.instance.model.api.IPrimitiveType;
import org.hl7.fhir.exceptions.FHIRException;
import org.hl7.fhir.r5.context.IWorkerContext;
import org.hl7.fhir.r5.conformance.profile.ProfileUtilities;
import org.hl7.fhir.r5.elementmodel.JsonParser;
import org.hl7.fhir.r5.elementmodel.ParserBase.ValidationPolicy;
import org.hl7.fhir.r5.elementmodel.ValidatedFragment;
import org.hl7.fhir.r5.fhirpath.FHIRPathEngine;
import org.hl7.fhir.r5.model.StructureDefinition;
import org.hl7.fhir.r5.utils.validation.ValidatorSession;
import org.hl7.fhir.r5.utils.validation.constants.IdStatus;
import org.hl7.fhir.r5.utils.xver.XVerExtensionManagerOld;
import org.hl7.fhir.utilities.OIDUtilities;
import org.hl7.fhir.utilities.i18n.I18nConstants;
import org.hl7.fhir.utilities.validation.ValidationMessage;
import org.hl7.fhir.validation.ValidatorSettings;
import org.hl7.fhir.validation.instance.InstanceValidator;

/**
 * HAPI's {@link FhirInstanceValidator}, but reusing the RI's {@link InstanceValidator} across calls
 * instead of building one per call.
 *
 * <p>Why: HAPI's {@code ValidatorWrapper} builds a new InstanceValidator for every validation, and
 * each one's constructor parses {@code oidregistry.csv} (1.5 MB, through {@code OIDUtilities})
 * and sets up a FHIRPath engine: about 12 of the 14 ms a small Appointment cost. The library
 * offers no way to hand a shared OIDUtilities in, but InstanceValidator is built for reuse: its
 * main entry point clears its per-validation state first. It is not thread-safe, so each one is
 * lent to one caller at a time from a fixed pool, and all of them use the first one's OID
 * registry ({@link SharedOidRegistry}).
 *
 * <p>What stays between calls in a reused InstanceValidator and why that is harmless: its cache of
 * canonical lookups (the definitions are locked after start-up), the "depends on a deprecated
 * definition" hints it gives once (hints never reject), and a list of every coding it has seen
 * (only read for IPS checks, which are off). That list would grow with every validation, so it
 * is emptied after each ({@link SeenCodings}), or where that is not possible, the InstanceValidator
 * is replaced after {@link #USES_BEFORE_REPLACEMENT} validations; the differential test proves
 * the verdicts equal a stock FhirInstanceValidator's.
 *
 * <p>Everything else is what {@code ValidatorWrapper} does, setting for setting, except that the
 * JSON is not parsed a second time (with Gson) just to find {@code meta.profile} (the resource
 * object already says which profiles it names), a profile is validated once even when both the
 * options and meta.profile name it, and the JSON parser is built cheaply (see parseAndValidate).
 */
public final class PooledInstanceValidator extends FhirInstanceValidator {

    /** Without SeenCodings: bounds the memory a coding list can hold; 14 ms amortised over 500 calls. */
    static final int USES_BEFORE_REPLACEMENT = 500;

    private final BlockingQueue<Lease> idle;
    /** Validation is CPU-bound: callers beyond one per core would only queue for the CPU anyway. */
    private final Semaphore permits;
    /** The OID registry of the first validator built, shared by all later ones (see SharedOidRegistry). */
    private OIDUtilities oidRegistry;

    public PooledInstanceValidator(IValidationSupport support, int poolSize) {
        super(support);
        setWrappedWorkerContext(support, new CachingWorkerContext(support));
        this.idle = new ArrayBlockingQueue<>(poolSize);
        this.permits = new Semaphore(poolSize, true);
    }

    @Override
    protected List<ValidationMessage> validate(IValidationContext<?> ctx) {
        if (ctx.getResourceAsStringEncoding() != EncodingEnum.JSON || !(ctx.getResource() instanceof IBaseResource resource)) {
            // The registry validates parsed STU3 and R4 resources, which HAPI hands over as JSON; anything else
            // (raw XML kept by a parser, for one) takes HAPI's own, slower path rather than a guess.
            return super.validate(ctx);
        }
        IWorkerContext worker = provideWorkerContext();
        permits.acquireUninterruptibly();
        try {
            Lease lease = idle.poll();
            if (lease == null || lease.uses >= USES_BEFORE_REPLACEMENT) {
                lease = newLease(worker);
            }
            lease.uses++;
            try {
                return validateJson(lease, worker, ctx, resource);
            } finally {
                if (SeenCodings.forget(lease.validator)) {
                    lease.uses = 0;
                }
                idle.offer(lease);
            }
        } finally {
            permits.release();
        }
    }

    /** A new InstanceValidator (with the pool's one OID registry) and parser set-up. */
    Lease newLease(IWorkerContext worker) {
        InstanceValidator validator = newInstanceValidator(worker);
        synchronized (this) {
            oidRegistry = SharedOidRegistry.share(validator, oidRegistry);
        }
        return new Lease(validator, new ProfileUtilities(worker, null, null, new FHIRPathEngine(worker)));
    }

    /** Configured exactly as HAPI's ValidatorWrapper configures its per-call one. */
    private InstanceValidator newInstanceValidator(IWorkerContext worker) {
        InstanceValidator v;
        try {
            v = new InstanceValidator(worker, new FhirInstanceValidator.NullEvaluationContext(),
                    new XVerExtensionManagerOld(worker), new ValidatorSession(), new ValidatorSettings());
        } catch (Exception e) {
            throw new ConfigurationException("Cannot build the FHIR instance validator: " + e.getMessage(), e);
        }
        v.setAssumeValidRestReferences(isAssumeValidRestReferences());
        v.setBestPracticeWarningLevel(getBestPracticeWarningLevel());
        v.setAnyExtensionsAllowed(isAnyExtensionsAllowed());
        v.setResourceIdRule(IdStatus.OPTIONAL);
        v.setNoTerminologyChecks(isNoTerminologyChecks());
        v.setErrorForUnknownProfiles(isErrorForUnknownProfiles());
        // HAPI fixes this to true because of how it interacts with UnknownCodeSystemWarningValidationSupport.
        v.setUnknownCodeSystemsCauseErrors(true);
        v.getExtensionDomains().addAll(getExtensionDomains());
        v.setFetcher(getValidatorResourceFetcher());
        v.setPolicyAdvisor(getValidatorPolicyAdvisor());
        v.setNoExtensibleWarnings(isNoExtensibleWarnings());
        v.setNoBindingMsgSuppressed(isNoBindingMsgSuppressed());
        v.setAllowExamples(isAllowExamples());
        v.setAllowXsiLocation(true);
        return v;
    }

    private List<ValidationMessage> validateJson(Lease lease, IWorkerContext worker, IValidationContext<?> ctx,
            IBaseResource resource) {
        List<StructureDefinition> profiles = new ArrayList<>();
        List<ValidationMessage> unknownProfiles = new ArrayList<>();
        for (String url : ctx.getOptions().getProfiles()) {
            addProfile(worker, profiles, url, unknownProfiles);
        }
        for (IPrimitiveType<String> profile : resource.getMeta().getProfile()) {
            if (profile.getValueAsString() != null) {
                addProfile(worker, profiles, profile.getValueAsString(), unknownProfiles);
            }
        }
        List<ValidationMessage> messages = new ArrayList<>();
        byte[] json = ctx.getResourceAsString().getBytes(StandardCharsets.UTF_8);
        parseAndValidate(lease, worker, ctx.getOptions().getAppContext(), messages, json, profiles);
        if (profiles.isEmpty()) {
            messages.addAll(unknownProfiles);
        }
        // The same messages HAPI's wrapper drops, and the same promotion of unknown profiles to errors.
        messages.removeIf(m -> m.getMessageId() != null
                && (m.getMessageId().equals(I18nConstants.TERMINOLOGY_TX_BINDING_NOSOURCE)
                        || m.getMessageId().equals(I18nConstants.TERMINOLOGY_TX_BINDING_NOSOURCE2)
                        || (m.getMessageId().equals(I18nConstants.TERMINOLOGY_TX_VALUESET_NOTFOUND)
                                && m.getMessage().contains("http://hl7.org/fhir/ValueSet/mimetypes"))));
        if (isErrorForUnknownProfiles()) {
            messages.stream()
                    .filter(m -> I18nConstants.VALIDATION_VAL_PROFILE_UNKNOWN.equals(m.getMessageId())
                            || I18nConstants.VALIDATION_VAL_PROFILE_UNKNOWN_NOT_POLICY.equals(m.getMessageId()))
                    .filter(m -> m.getLevel() == ValidationMessage.IssueSeverity.WARNING)
                    .forEach(m -> m.setLevel(ValidationMessage.IssueSeverity.ERROR));
        }
        return messages;
    }

    /**
     * What {@code InstanceValidator.validate(appContext, errors, stream, JSON, profiles)} does, but
     * with a parser that uses the lease's ProfileUtilities. Why: the library's {@code
     * Manager.makeParser} builds a new JsonParser whose constructor builds two FHIRPath engines,
     * each walking every StructureDefinition in the context (some 600), on every call; with a
     * ProfileUtilities of its own the parser also keeps its child-element cache between calls.
     * Profiles are never logical models here (the registry validates Appointments), so the
     * library's logical-model branch is left out, and a JSON parser implies no profile.
     */
    private static void parseAndValidate(Lease lease, IWorkerContext worker, Object appContext,
            List<ValidationMessage> messages, byte[] json, List<StructureDefinition> profiles) {
        JsonParser parser = new JsonParser(worker, lease.parserProfiles);
        parser.setupValidation(ValidationPolicy.EVERYTHING);
        parser.setAllowComments(lease.validator.isAllowComments());
        List<ValidatedFragment> fragments;
        try {
            fragments = parser.parse(new ByteArrayInputStream(json));
        } catch (IOException e) {
            throw new FHIRException(e);
        }
        for (ValidatedFragment fragment : fragments) {
            if (fragment.getElement() != null) {
                lease.validator.validate(appContext, fragment.getErrors(), fragments.size() > 1 ? fragment.path() : null,
                        fragment.getElement(), profiles);
            }
            messages.addAll(fragment.getErrors());
        }
    }

    private static void addProfile(IWorkerContext worker, List<StructureDefinition> profiles, String url,
            List<ValidationMessage> unknownProfiles) {
        try {
            StructureDefinition sd = worker.fetchResource(StructureDefinition.class, url);
            if (sd != null) {
                // HAPI would validate a profile named both in the options and in meta.profile twice, reporting
                // every finding twice; the registry always names CareConnect, so once is half the work.
                if (!profiles.contains(sd)) {
                    profiles.add(sd);
                }
            } else {
                ValidationMessage m = new ValidationMessage();
                m.setMessageId(I18nConstants.VALIDATION_VAL_PROFILE_UNKNOWN);
                m.setLevel(ValidationMessage.IssueSeverity.ERROR);
                m.setMessage("Invalid profile. Failed to retrieve profile with url=" + url);
                unknownProfiles.add(m);
            }
        } catch (FHIRException e) {
            // As HAPI: a profile that cannot be loaded is skipped.
        }
    }

    /** An InstanceValidator and how often it has been used. */
    static final class Lease {
        final InstanceValidator validator;
        final ProfileUtilities parserProfiles;
        int uses;

        Lease(InstanceValidator validator, ProfileUtilities parserProfiles) {
            this.validator = validator;
            this.parserProfiles = parserProfiles;
        }
    }
}
