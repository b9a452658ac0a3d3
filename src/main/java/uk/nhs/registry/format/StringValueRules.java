package uk.nhs.registry.format;

import ca.uhn.fhir.context.BaseRuntimeChildDefinition;
import ca.uhn.fhir.context.BaseRuntimeElementDefinition;
import ca.uhn.fhir.context.FhirContext;
import java.util.ArrayList;
import java.util.List;
import org.hl7.fhir.dstu3.model.OperationOutcome.IssueType;
import org.hl7.fhir.instance.model.api.IBase;
import org.hl7.fhir.instance.model.api.IBaseExtension;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.instance.model.api.IPrimitiveType;
import uk.nhs.registry.outcome.Issue;
import uk.nhs.registry.outcome.SpineCode;
import uk.nhs.registry.outcome.UnprocessableEntityException;

/**
 * The rules every primitive value of a parsed resource must meet, whatever its FHIR version and
 * wire format:
 * <ul>
 * <li>no longer than the configured limit. FHIR allows strings of up to a megabyte, but nothing in
 * an appointment index needs one, and a megabyte comment would be stored, returned by every search
 * and validated on every cancel (422 too-long);</li>
 * <li>FHIR's string rule: no character below U+0020 other than tab, CR and LF (422). A BEL or ESC
 * in an identifier is stored, searched and echoed into terminals and logs as it is;</li>
 * <li>text UTF-8 can carry: no lone surrogate, whichever parser let one through (400).</li>
 * </ul>
 */
public final class StringValueRules {

    private final int maxLength;

    public StringValueRules(int maxLength) {
        this.maxLength = maxLength;
    }

    public void check(IBaseResource resource) {
        List<Issue> issues = new ArrayList<>();
        FhirContext context = FhirContext.forCached(resource.getStructureFhirVersionEnum());
        context.newTerser().visit(resource, new ca.uhn.fhir.util.IModelVisitor2() {
            @Override
            public boolean acceptElement(IBase element, List<IBase> containingElements,
                    List<BaseRuntimeChildDefinition> children, List<BaseRuntimeElementDefinition<?>> definitions) {
                if (element instanceof IPrimitiveType<?> primitive) {
                    String value = primitive.getValueAsString();
                    if (value != null) {
                        check(value, path(resource, children), issues);
                    }
                }
                return true;
            }

            @Override
            public boolean acceptUndeclaredExtension(IBaseExtension<?, ?> extension, List<IBase> containingElements,
                    List<BaseRuntimeChildDefinition> children, List<BaseRuntimeElementDefinition<?>> definitions) {
                return true;
            }
        });
        if (!issues.isEmpty()) {
            throw new UnprocessableEntityException(issues);
        }
    }

    private void check(String value, String path, List<Issue> issues) {
        StrictUtf8.requireEncodable(value);
        if (value.length() > maxLength) {
            issues.add(new Issue(IssueType.TOOLONG, SpineCode.INVALID_RESOURCE, "Element '" + path + "' is "
                    + value.length() + " characters long; the registry accepts at most " + maxLength + ".", path));
            return;
        }
        int control = controlCharacterAt(value);
        if (control >= 0) {
            issues.add(new Issue(IssueType.VALUE, SpineCode.INVALID_RESOURCE, "Element '" + path + "' holds the control"
                    + " character U+" + String.format("%04X", (int) value.charAt(control)) + " at position " + control
                    + "; FHIR strings allow no character below U+0020 other than tab, carriage return and line feed.", path));
        }
    }

    /** The index of the first character FHIR's string type forbids, or -1. */
    static int controlCharacterAt(String value) {
        for (int i = 0, n = value.length(); i < n; i++) {
            char c = value.charAt(i);
            if (c < 0x20 && c != '\t' && c != '\r' && c != '\n') {
                return i;
            }
        }
        return -1;
    }

    static String path(IBaseResource resource, List<BaseRuntimeChildDefinition> children) {
        StringBuilder path = new StringBuilder(resource.fhirType());
        for (BaseRuntimeChildDefinition child : children) {
            if (child != null && child.getElementName() != null) {
                path.append('.').append(child.getElementName());
            }
        }
        return path.toString();
    }
}
