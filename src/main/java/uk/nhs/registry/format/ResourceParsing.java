package uk.nhs.registry.format;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.DataFormatException;
import ca.uhn.fhir.parser.IParser;
import java.util.regex.Pattern;
import org.hl7.fhir.dstu3.model.OperationOutcome.IssueType;
import org.hl7.fhir.instance.model.api.IBaseResource;
import uk.nhs.registry.outcome.BadRequestException;
import uk.nhs.registry.outcome.ClientText;
import uk.nhs.registry.outcome.SpineCode;
import uk.nhs.registry.outcome.UnprocessableEntityException;

/**
 * How every flavour turns a payload into one resource of the expected type, whatever its FHIR
 * version: what cannot be read as FHIR (syntax, unknown elements, another resource type, DTDs) is
 * a 400; a well-formed resource with a value of the wrong type (a `start` that is not an instant)
 * is a 422, because that is a rule the resource breaks rather than a message the server cannot read.
 */
final class ResourceParsing {

    // A DTD is never part of FHIR XML and is the door to XXE and entity-expansion attacks.
    private static final Pattern DTD = Pattern.compile("<!(DOCTYPE|ENTITY)", Pattern.CASE_INSENSITIVE);

    private ResourceParsing() {
    }

    /**
     * @param fhirVersion how texts name the FHIR version, "STU3" or "R4"
     */
    static <T extends IBaseResource> T parse(FhirContext context, Class<T> type, String fhirVersion, String payload,
            FhirFormat format) {
        if (format == FhirFormat.XML && DTD.matcher(payload).find()) {
            throw new BadRequestException(IssueType.SECURITY, SpineCode.MESSAGE_NOT_WELL_FORMED,
                    "XML with a DOCTYPE or ENTITY declaration is not accepted; send plain FHIR XML.");
        }
        ParseFindings findings = new ParseFindings(fhirVersion);
        IParser parser = format.newParser(context).setParserErrorHandler(findings);
        IBaseResource resource;
        try {
            resource = parser.parseResource(payload);
        } catch (DataFormatException | IllegalArgumentException | ClassCastException e) {
            throw new BadRequestException(IssueType.STRUCTURE, SpineCode.MESSAGE_NOT_WELL_FORMED,
                    "The body is not a well-formed FHIR " + format.name() + " resource: " + ClientText.fromLibrary(e.getMessage()));
        } catch (RuntimeException e) {
            // Found by fuzzing: some malformed input (e.g. a JSON property named "") makes the HAPI
            // parser itself fail. Whatever it throws, the fault is in the body: 400, not 500, and
            // the parser's internals stay out of the answer.
            throw new BadRequestException(IssueType.STRUCTURE, SpineCode.MESSAGE_NOT_WELL_FORMED,
                    "The body is not a well-formed FHIR " + format.name() + " resource.");
        }
        if (!type.isInstance(resource)) {
            throw new BadRequestException(IssueType.STRUCTURE, SpineCode.INVALID_REQUEST_MESSAGE,
                    "Expected an Appointment resource but the body holds a " + resource.fhirType() + ".");
        }
        if (!findings.structural().isEmpty()) {
            throw new BadRequestException(findings.structural());
        }
        if (!findings.invalidValues().isEmpty()) {
            throw new UnprocessableEntityException(findings.invalidValues());
        }
        return type.cast(resource);
    }
}
