package uk.nhs.registry.format;

import ca.uhn.fhir.parser.IParserErrorHandler;
import ca.uhn.fhir.parser.json.BaseJsonLikeValue.ScalarType;
import ca.uhn.fhir.parser.json.BaseJsonLikeValue.ValueType;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.hl7.fhir.dstu3.model.OperationOutcome.IssueType;
import uk.nhs.registry.outcome.BadRequestException;
import uk.nhs.registry.outcome.ClientText;
import uk.nhs.registry.outcome.Issue;
import uk.nhs.registry.outcome.SpineCode;
import uk.nhs.registry.outcome.UnprocessableEntityException;

/**
 * Lists what a HAPI parser (of any FHIR version) tolerated but the registry does not: each becomes
 * an issue. What makes the text unreadable as the resource (unknown elements, a single element
 * repeated, a JSON type FHIR does not give the element) is a 400; a well-formed resource with a
 * value its type does not allow (a `start` that is not an instant) is a 422. The texts are the
 * registry's own: HAPI's messages are not passed on. One instance per parse.
 */
public final class StrictParserErrorHandler implements IParserErrorHandler {

    private final String resourceType;
    private final List<Issue> structural = new ArrayList<>();
    private final List<Issue> invalidValues = new ArrayList<>();

    /** @param resourceType the type the body should hold, the root of the paths in the issues */
    public StrictParserErrorHandler(String resourceType) {
        this.resourceType = resourceType;
    }

    /** Throws the 400 or 422 for what the parse found, if anything. */
    public void throwIfAny() {
        if (!structural.isEmpty()) {
            throw new BadRequestException(structural);
        }
        if (!invalidValues.isEmpty()) {
            throw new UnprocessableEntityException(invalidValues);
        }
    }

    @Override
    public void unknownElement(IParseLocation location, String elementName) {
        structural.add(new Issue(IssueType.STRUCTURE, SpineCode.MESSAGE_NOT_WELL_FORMED,
                "Unknown element '" + ClientText.quote(elementName) + "'" + where(location) + "; it is not part of the "
                        + resourceType + " resource.", path(location, elementName)));
    }

    @Override
    public void unknownAttribute(IParseLocation location, String attributeName) {
        structural.add(new Issue(IssueType.STRUCTURE, SpineCode.MESSAGE_NOT_WELL_FORMED,
                "Unknown attribute '" + ClientText.quote(attributeName) + "'" + where(location) + ".", path(location, attributeName)));
    }

    @Override
    public void unknownReference(IParseLocation location, String reference) {
        structural.add(new Issue(IssueType.STRUCTURE, SpineCode.MESSAGE_NOT_WELL_FORMED,
                "Reference '" + ClientText.quote(reference) + "'" + where(location) + " points to nothing in this resource.", null));
    }

    @Override
    public void invalidInternalReference(IParseLocation location, String reference) {
        unknownReference(location, reference);
    }

    @Override
    public void unexpectedRepeatingElement(IParseLocation location, String elementName) {
        structural.add(new Issue(IssueType.STRUCTURE, SpineCode.MESSAGE_NOT_WELL_FORMED,
                "Element '" + ClientText.quote(elementName) + "'" + where(location) + " may appear only once.", path(location, elementName)));
    }

    @Override
    public void containedResourceWithNoId(IParseLocation location) {
        structural.add(new Issue(IssueType.STRUCTURE, SpineCode.MESSAGE_NOT_WELL_FORMED,
                "A contained resource has no id" + where(location) + ".", resourceType + ".contained"));
    }

    @Override
    public void incorrectJsonType(IParseLocation location, String elementName, ValueType expected,
            ScalarType expectedScalar, ValueType found, ScalarType foundScalar) {
        // CONTRACT §2: an array, object or number where FHIR has a single string (and the reverse)
        // is a body the registry cannot read as written: 400.
        structural.add(new Issue(IssueType.STRUCTURE, SpineCode.MESSAGE_NOT_WELL_FORMED,
                "Element '" + ClientText.quote(elementName) + "'" + where(location) + " must be a JSON "
                        + describe(expected, expectedScalar) + " but is a " + describe(found, foundScalar) + ".",
                path(location, elementName)));
    }

    @Override
    public void invalidValue(IParseLocation location, String value, String error) {
        // HAPI's own text (error) names its internals; the registry says what is wrong in its words.
        String element = location == null ? null : location.getParentElementName();
        invalidValues.add(new Issue(IssueType.VALUE, SpineCode.INVALID_RESOURCE,
                "Invalid value '" + ClientText.quote(value) + "'" + where(location)
                        + ": it is not a valid value of the element's FHIR data type.",
                element == null ? null : resourceType + "." + element));
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
                ? "" : " in '" + ClientText.quote(location.getParentElementName()) + "'";
    }

    private String path(IParseLocation location, String element) {
        if (location == null || location.getParentElementName() == null
                || resourceType.equals(location.getParentElementName())) {
            return resourceType + "." + element;
        }
        return resourceType + "." + location.getParentElementName() + "." + element;
    }
}
