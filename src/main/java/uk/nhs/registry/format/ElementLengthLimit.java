package uk.nhs.registry.format;

import ca.uhn.fhir.context.BaseRuntimeChildDefinition;
import ca.uhn.fhir.context.BaseRuntimeElementDefinition;
import java.util.ArrayList;
import java.util.List;
import org.hl7.fhir.dstu3.model.OperationOutcome.IssueType;
import org.hl7.fhir.instance.model.api.IBase;
import org.hl7.fhir.instance.model.api.IBaseExtension;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.instance.model.api.IPrimitiveType;
import uk.nhs.registry.Fhir;
import uk.nhs.registry.outcome.Issue;
import uk.nhs.registry.outcome.SpineCode;
import uk.nhs.registry.outcome.UnprocessableEntityException;

/**
 * Refuses a resource with any single value longer than the configured limit. FHIR allows strings
 * of up to a megabyte, but nothing in an appointment index needs one, and a megabyte comment would
 * be stored, returned by every search and validated on every cancel.
 */
final class ElementLengthLimit {

    private final int maxLength;

    ElementLengthLimit(int maxLength) {
        this.maxLength = maxLength;
    }

    void check(IBaseResource resource) {
        List<Issue> issues = new ArrayList<>();
        Fhir.contextOf(resource).newTerser().visit(resource, new ca.uhn.fhir.util.IModelVisitor2() {
            @Override
            public boolean acceptElement(IBase element, List<IBase> containingElements,
                    List<BaseRuntimeChildDefinition> children, List<BaseRuntimeElementDefinition<?>> definitions) {
                if (element instanceof IPrimitiveType<?> primitive) {
                    String value = primitive.getValueAsString();
                    if (value != null && value.length() > maxLength) {
                        String path = path(children);
                        issues.add(new Issue(IssueType.TOOLONG, SpineCode.INVALID_RESOURCE, "Element '" + path + "' is "
                                + value.length() + " characters long; the registry accepts at most " + maxLength + ".", path));
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

    private static String path(List<BaseRuntimeChildDefinition> children) {
        StringBuilder path = new StringBuilder("Appointment");
        for (BaseRuntimeChildDefinition child : children) {
            if (child != null && child.getElementName() != null) {
                path.append('.').append(child.getElementName());
            }
        }
        return path.toString();
    }
}
