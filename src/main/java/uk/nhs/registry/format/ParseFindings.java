package uk.nhs.registry.format;

import ca.uhn.fhir.parser.json.BaseJsonLikeValue.ScalarType;
import ca.uhn.fhir.parser.json.BaseJsonLikeValue.ValueType;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.hl7.fhir.dstu3.model.OperationOutcome.IssueType;
import uk.nhs.registry.outcome.ClientText;
import uk.nhs.registry.outcome.Issue;
import uk.nhs.registry.outcome.SpineCode;

/** Lists what the HAPI parser tolerated but the registry does not: each becomes an issue. */
final class ParseFindings implements ca.uhn.fhir.parser.IParserErrorHandler {

    /** The FHIR version named in texts: "STU3" or "R4". */
    private final String fhirVersion;
    private final List<Issue> structural = new ArrayList<>();
    private final List<Issue> invalidValues = new ArrayList<>();

    ParseFindings(String fhirVersion) {
        this.fhirVersion = fhirVersion;
    }

    List<Issue> structural() {
        return structural;
    }

    List<Issue> invalidValues() {
        return invalidValues;
    }

    @Override
    public void unknownElement(IParseLocation location, String elementName) {
        structural.add(new Issue(IssueType.STRUCTURE, SpineCode.MESSAGE_NOT_WELL_FORMED,
                "Unknown element '" + elementName + "'" + where(location) + "; it is not part of " + article(fhirVersion) + " Appointment.",
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

    private static String article(String version) {
        return "STU3".equals(version) ? "a STU3" : "an " + version;
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
