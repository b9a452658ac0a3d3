package uk.nhs.registry.format;

import ca.uhn.fhir.parser.IParser;
import java.util.regex.Pattern;
import org.hl7.fhir.dstu3.model.Appointment;
import org.hl7.fhir.dstu3.model.OperationOutcome.IssueType;
import org.hl7.fhir.instance.model.api.IBaseResource;
import uk.nhs.registry.Fhir;
import uk.nhs.registry.outcome.BadRequestException;
import uk.nhs.registry.outcome.SpineCode;

/**
 * Turns a payload into an Appointment, for the HTTP and the feed paths alike. What cannot be read
 * as FHIR (syntax, unknown elements, another resource type, DTDs) is a 400; a well-formed
 * Appointment with a value of the wrong type (a `start` that is not an instant) is a 422, because
 * that is a rule the resource breaks rather than a message the server cannot read.
 *
 * <p>The strictness is in flavour-neutral parts a parser of another FHIR version reuses as they
 * are: {@link StrictUtf8} and {@link StrictJson} on the text, {@link StrictParserErrorHandler} in
 * HAPI's parser, {@link RepeatLimit} and {@link StringValueRules} on the parsed resource.
 */
public final class AppointmentParser {

    // A DTD is never part of FHIR XML and is the door to XXE and entity-expansion attacks.
    private static final Pattern DTD = Pattern.compile("<!(DOCTYPE|ENTITY)", Pattern.CASE_INSENSITIVE);
    /** The longest single value accepted by default (registry.validation.max-string-length). */
    public static final int DEFAULT_MAX_STRING_LENGTH = 10_000;
    /** The most entries of any one repeating element accepted by default (registry.validation.max-repeats). */
    public static final int DEFAULT_MAX_REPEATS = 100;
    /** The most elements in one resource accepted by default (registry.validation.max-elements). */
    public static final int DEFAULT_MAX_ELEMENTS = 2_000;

    private final StrictJson strictJson;
    private final RepeatLimit repeatLimit;
    private final StringValueRules stringRules;

    public AppointmentParser() {
        this(DEFAULT_MAX_STRING_LENGTH);
    }

    public AppointmentParser(int maxStringLength) {
        this(maxStringLength, DEFAULT_MAX_REPEATS, DEFAULT_MAX_ELEMENTS);
    }

    public AppointmentParser(int maxStringLength, int maxRepeats, int maxElements) {
        this.stringRules = new StringValueRules(maxStringLength);
        this.repeatLimit = new RepeatLimit(maxRepeats, maxElements);
        this.strictJson = new StrictJson(Fhir.context(), maxRepeats);
    }

    /**
     * The Appointment the payload holds, read exactly as written, with every size limit met, or a
     * 400 / 422. Nothing here is expensive per element: the limits are met before validation runs.
     */
    public Appointment parse(String payload, FhirFormat format) {
        StrictUtf8.requireEncodable(payload);
        if (format == FhirFormat.XML && DTD.matcher(payload).find()) {
            throw new BadRequestException(IssueType.SECURITY, SpineCode.MESSAGE_NOT_WELL_FORMED,
                    "XML with a DOCTYPE or ENTITY declaration is not accepted; send plain FHIR XML.");
        }
        if (format == FhirFormat.JSON) {
            strictJson.check(payload);
        }
        StrictParserErrorHandler findings = new StrictParserErrorHandler("Appointment");
        IParser parser = format.newParser().setParserErrorHandler(findings);
        IBaseResource resource;
        try {
            resource = parser.parseResource(payload);
        } catch (RuntimeException e) {
            // Whatever the parser throws (found by fuzzing: even StringIndexOutOfBoundsException for
            // a JSON property named ""), the fault is in the body: 400, not 500, in the registry's
            // words; HAPI's message names its internals.
            throw new BadRequestException(IssueType.STRUCTURE, SpineCode.MESSAGE_NOT_WELL_FORMED,
                    "The body is not a well-formed FHIR " + format.name() + " resource" + XmlLocation.of(e) + ".");
        }
        if (!(resource instanceof Appointment appointment)) {
            throw new BadRequestException(IssueType.STRUCTURE, SpineCode.INVALID_REQUEST_MESSAGE,
                    "Expected an Appointment resource but the body holds a " + resource.fhirType() + ".");
        }
        findings.throwIfAny();
        repeatLimit.check(appointment);
        stringRules.check(appointment);
        return appointment;
    }
}
