package uk.nhs.registry.format;

import ca.uhn.fhir.context.BaseRuntimeChildDefinition;
import ca.uhn.fhir.context.BaseRuntimeElementCompositeDefinition;
import ca.uhn.fhir.context.BaseRuntimeElementDefinition;
import ca.uhn.fhir.context.FhirContext;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.hl7.fhir.dstu3.model.OperationOutcome.IssueType;
import org.hl7.fhir.instance.model.api.IBase;
import org.hl7.fhir.instance.model.api.IBaseExtension;
import org.hl7.fhir.instance.model.api.IBaseResource;
import uk.nhs.registry.outcome.Issue;
import uk.nhs.registry.outcome.SpineCode;
import uk.nhs.registry.outcome.UnprocessableEntityException;

/**
 * Bounds the work a resource can ask for before it is validated: no repeating element (participant,
 * identifier, coding, extension, any other) may hold more than {@code maxRepeats} entries, and the
 * resource as a whole no more than {@code maxElements} elements. Profile validation costs more than
 * linearly in the number of repeats (slicing and uniqueness checks compare entries with each
 * other), so a body well under the size limit could otherwise buy a minute of CPU; the per-list
 * limit alone would still let nested lists multiply (100 participants × 100 types × 100 codings).
 * Walks HAPI's element model, so it serves any FHIR version.
 */
public final class RepeatLimit {

    private final int maxRepeats;
    private final int maxElements;

    public RepeatLimit(int maxRepeats, int maxElements) {
        this.maxRepeats = maxRepeats;
        this.maxElements = maxElements;
    }

    /** The issue for an element that repeats more often than the limit (also raised by {@link StrictJson}). */
    static Issue tooMany(String path, int count, int maxRepeats) {
        return new Issue(IssueType.TOOCOSTLY, SpineCode.INVALID_RESOURCE, "Element '" + path + "' repeats " + count
                + " times; the registry accepts at most " + maxRepeats + " of any repeating element.", path);
    }

    /** Throws a 422 naming every element that repeats too often, or the resource's size. */
    public void check(IBaseResource resource) {
        Map<String, Integer> tooMany = new LinkedHashMap<>();
        int[] elements = {0};
        FhirContext context = FhirContext.forCached(resource.getStructureFhirVersionEnum());
        context.newTerser().visit(resource, new ca.uhn.fhir.util.IModelVisitor2() {
            @Override
            public boolean acceptElement(IBase element, List<IBase> containingElements,
                    List<BaseRuntimeChildDefinition> children, List<BaseRuntimeElementDefinition<?>> definitions) {
                elements[0]++;
                if (definitions.get(definitions.size() - 1) instanceof BaseRuntimeElementCompositeDefinition<?> composite) {
                    for (BaseRuntimeChildDefinition child : composite.getChildrenAndExtension()) {
                        if (child.getMax() != 1) {
                            int count = child.getAccessor().getValues(element).size();
                            if (count > maxRepeats) {
                                String path = StringValueRules.path(resource, children) + "." + child.getElementName();
                                tooMany.merge(path, count, Math::max);
                            }
                        }
                    }
                }
                // Nothing below an over-long list is worth walking: the answer is a 422 already.
                return tooMany.isEmpty() && elements[0] <= maxElements;
            }

            @Override
            public boolean acceptUndeclaredExtension(IBaseExtension<?, ?> extension, List<IBase> containingElements,
                    List<BaseRuntimeChildDefinition> children, List<BaseRuntimeElementDefinition<?>> definitions) {
                elements[0]++;
                return tooMany.isEmpty() && elements[0] <= maxElements;
            }
        });
        List<Issue> issues = new ArrayList<>();
        tooMany.forEach((path, count) -> issues.add(tooMany(path, count, maxRepeats)));
        if (issues.isEmpty() && elements[0] > maxElements) {
            issues.add(new Issue(IssueType.TOOCOSTLY, SpineCode.INVALID_RESOURCE, "The " + resource.fhirType()
                    + " has more than " + maxElements + " elements; the registry accepts at most " + maxElements + "."));
        }
        if (!issues.isEmpty()) {
            throw new UnprocessableEntityException(issues);
        }
    }
}
