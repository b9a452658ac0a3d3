package uk.nhs.registry.format;

import ca.uhn.fhir.parser.DataFormatException;
import ca.uhn.fhir.parser.IParser;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import ca.uhn.fhir.parser.json.BaseJsonLikeValue.ScalarType;
import ca.uhn.fhir.parser.json.BaseJsonLikeValue.ValueType;
import org.hl7.fhir.dstu3.model.OperationOutcome.IssueType;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.dstu3.model.Appointment;
import uk.nhs.registry.outcome.ClientText;
import uk.nhs.registry.outcome.BadRequestException;
import uk.nhs.registry.outcome.Issue;
import uk.nhs.registry.outcome.SpineCode;
import uk.nhs.registry.outcome.UnprocessableEntityException;

/**
 * Turns a payload into an Appointment, for the HTTP and the feed paths alike. What cannot be read
 * as FHIR (syntax, unknown elements, another resource type, DTDs) is a 400; a well-formed
 * Appointment with a value of the wrong type (a `start` that is not an instant) is a 422, because
 * that is a rule the resource breaks rather than a message the server cannot read.
 */
public final class AppointmentParser {

    // A DTD is never part of FHIR XML and is the door to XXE and entity-expansion attacks.
    private static final Pattern DTD = Pattern.compile("<!(DOCTYPE|ENTITY)", Pattern.CASE_INSENSITIVE);
    /** The longest single value accepted by default (registry.validation.max-string-length). */
    public static final int DEFAULT_MAX_STRING_LENGTH = 10_000;

    private final ElementLengthLimit lengthLimit;

    public AppointmentParser() {
        this(DEFAULT_MAX_STRING_LENGTH);
    }

    public AppointmentParser(int maxStringLength) {
        this.lengthLimit = new ElementLengthLimit(maxStringLength);
    }

    public Appointment parse(String payload, FhirFormat format) {
        if (format == FhirFormat.XML && DTD.matcher(payload).find()) {
            throw new BadRequestException(IssueType.SECURITY, SpineCode.MESSAGE_NOT_WELL_FORMED,
                    "XML with a DOCTYPE or ENTITY declaration is not accepted; send plain FHIR XML.");
        }
        ParseFindings findings = new ParseFindings();
        IParser parser = format.newParser().setParserErrorHandler(findings);
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
        if (!(resource instanceof Appointment appointment)) {
            throw new BadRequestException(IssueType.STRUCTURE, SpineCode.INVALID_REQUEST_MESSAGE,
                    "Expected an Appointment resource but the body holds a " + resource.fhirType() + ".");
        }
        if (!findings.structural().isEmpty()) {
            throw new BadRequestException(findings.structural());
        }
        if (!findings.invalidValues().isEmpty()) {
            throw new UnprocessableEntityException(findings.invalidValues());
        }
        lengthLimit.check(appointment);
        return appointment;
    }

    /** Lists what the HAPI parser tolerated but the registry does not: each becomes an issue. */
    private static final class ParseFindings implements ca.uhn.fhir.parser.IParserErrorHandler {

        private final List<Issue> structural = new ArrayList<>();
        private final List<Issue> invalidValues = new ArrayList<>();

        List<Issue> structural() {
            return structural;
        }

        List<Issue> invalidValues() {
            return invalidValues;
        }

        @Override
        public void unknownElement(IParseLocation location, String elementName) {
            structural.add(new Issue(IssueType.STRUCTURE, SpineCode.MESSAGE_NOT_WELL_FORMED,
                    "Unknown element '" + elementName + "'" + where(location) + "; it is not part of a STU3 Appointment.",
                    path(location, elementName)));
        }

        @Override
        public void unknownAttribute(IParseLocation location, String attributeName) {
            structural.add(new Issue(IssueType.STRUCTURE, SpineCode.MESSAGE_NOT_WELL_FORMED,
                    "Unknown attribute '" + attributeName + "'" + where(location) + ".", path(location, attributeName)));
        }

        @Override
        public void unknownReference(IParseLocation location, String reference) {
            structural.add(new Issue(IssueType.STRUCTURE, SpineCode.MESSAGE_NOT_WELL_FORMED,
                    "Reference '" + reference + "'" + where(location) + " points to nothing in this resource.", null));
        }

        @Override
        public void invalidInternalReference(IParseLocation location, String reference) {
            unknownReference(location, reference);
        }

        @Override
        public void unexpectedRepeatingElement(IParseLocation location, String elementName) {
            structural.add(new Issue(IssueType.STRUCTURE, SpineCode.MESSAGE_NOT_WELL_FORMED,
                    "Element '" + elementName + "'" + where(location) + " may appear only once.", path(location, elementName)));
        }

        @Override
        public void containedResourceWithNoId(IParseLocation location) {
            structural.add(new Issue(IssueType.STRUCTURE, SpineCode.MESSAGE_NOT_WELL_FORMED,
                    "A contained resource has no id" + where(location) + ".", "Appointment.contained"));
        }

        @Override
        public void incorrectJsonType(IParseLocation location, String elementName, ValueType expected,
                ScalarType expectedScalar, ValueType found, ScalarType foundScalar) {
            // "start": 5 where a string is due: a well-formed document with a value of the wrong type.
            invalidValues.add(new Issue(IssueType.VALUE, SpineCode.INVALID_RESOURCE,
                    "Element '" + elementName + "'" + where(location) + " must be a JSON "
                            + describe(expected, expectedScalar) + " but is a " + describe(found, foundScalar) + ".",
                    path(location, elementName)));
        }

        @Override
        public void invalidValue(IParseLocation location, String value, String error) {
            String element = location == null ? null : location.getParentElementName();
            invalidValues.add(new Issue(IssueType.VALUE, SpineCode.INVALID_RESOURCE,
                    "Invalid value '" + ClientText.quote(value) + "'" + where(location) + ": " + ClientText.fromLibrary(error),
                    element == null ? null : "Appointment." + element));
        }

        @Override
        public void missingRequiredElement(IParseLocation location, String elementName) {
            invalidValues.add(new Issue(IssueType.REQUIRED, SpineCode.INVALID_RESOURCE,
                    "Required element '" + elementName + "' is missing" + where(location) + ".", path(location, elementName)));
        }

        @Override
        public void extensionContainsValueAndNestedExtensions(IParseLocation location) {
            invalidValues.add(new Issue(IssueType.STRUCTURE, SpineCode.INVALID_RESOURCE,
                    "An extension" + where(location) + " has both a value and nested extensions.", null));
        }

        private static String describe(ValueType type, ScalarType scalar) {
            if (type == null) {
                return "value";
            }
            String name = type.name().toLowerCase(Locale.ROOT);
            return scalar == null ? name : scalar.name().toLowerCase(Locale.ROOT) + " " + name;
        }

        private static String where(IParseLocation location) {
            return location == null || location.getParentElementName() == null
                    ? "" : " in '" + location.getParentElementName() + "'";
        }

        private static String path(IParseLocation location, String element) {
            if (location == null || location.getParentElementName() == null
                    || "Appointment".equals(location.getParentElementName())) {
                return "Appointment." + element;
            }
            return "Appointment." + location.getParentElementName() + "." + element;
        }
    }
}
