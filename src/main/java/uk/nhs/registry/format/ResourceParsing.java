package uk.nhs.registry.format;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.IParser;
import java.util.regex.Pattern;
import org.hl7.fhir.dstu3.model.OperationOutcome.IssueType;
import org.hl7.fhir.instance.model.api.IBaseResource;
import uk.nhs.registry.outcome.BadRequestException;
import uk.nhs.registry.outcome.SpineCode;

/**
 * How every flavour turns a payload into one resource of the expected type, whatever its FHIR
 * version, read exactly as written or refused. What cannot be read as FHIR (syntax, invalid
 * Unicode, duplicate JSON keys, a JSON type FHIR does not give the element, unknown elements,
 * another resource type, DTDs) is a 400; a well-formed resource that breaks a value rule (a `start`
 * that is not an instant, a control character in a string, too many repeats, an over-long value)
 * is a 422. Every size limit is met before anything expensive (validation) runs.
 *
 * <p>The strictness is in flavour-neutral parts: {@link StrictUtf8} and {@link StrictJson} on the
 * text, {@link StrictParserErrorHandler} in HAPI's parser, {@link RepeatLimit} and
 * {@link StringValueRules} on the parsed resource.
 */
final class ResourceParsing<T extends IBaseResource> {

    // A DTD is never part of FHIR XML and is the door to XXE and entity-expansion attacks.
    private static final Pattern DTD = Pattern.compile("<!(DOCTYPE|ENTITY)", Pattern.CASE_INSENSITIVE);

    private final FhirContext context;
    private final Class<T> type;
    private final StrictJson strictJson;
    private final RepeatLimit repeatLimit;
    private final StringValueRules stringRules;

    ResourceParsing(FhirContext context, Class<T> type, int maxStringLength, int maxRepeats, int maxElements) {
        this.context = context;
        this.type = type;
        this.strictJson = new StrictJson(context, maxRepeats);
        this.repeatLimit = new RepeatLimit(maxRepeats, maxElements);
        this.stringRules = new StringValueRules(maxStringLength);
    }

    T parse(String payload, FhirFormat format) {
        StrictUtf8.requireEncodable(payload);
        if (format == FhirFormat.XML && DTD.matcher(payload).find()) {
            throw new BadRequestException(IssueType.SECURITY, SpineCode.MESSAGE_NOT_WELL_FORMED,
                    "XML with a DOCTYPE or ENTITY declaration is not accepted; send plain FHIR XML.");
        }
        if (format == FhirFormat.JSON) {
            strictJson.check(payload);
        }
        StrictParserErrorHandler findings = new StrictParserErrorHandler("Appointment");
        IParser parser = format.newParser(context).setParserErrorHandler(findings);
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
        if (!type.isInstance(resource)) {
            throw new BadRequestException(IssueType.STRUCTURE, SpineCode.INVALID_REQUEST_MESSAGE,
                    "Expected an Appointment resource but the body holds a " + resource.fhirType() + ".");
        }
        findings.throwIfAny();
        T parsed = type.cast(resource);
        repeatLimit.check(parsed);
        stringRules.check(parsed);
        return parsed;
    }
}
