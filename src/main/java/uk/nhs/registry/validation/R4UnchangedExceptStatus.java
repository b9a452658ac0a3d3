package uk.nhs.registry.validation;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.hl7.fhir.r4.model.Appointment;
import org.hl7.fhir.r4.model.Base;
import org.hl7.fhir.r4.model.Meta;
import org.hl7.fhir.r4.model.Property;

/**
 * The medTech cancel rule's comparison, as {@link UnchangedExceptStatus} is STU3's: which elements
 * of a proposed R4 Appointment differ from the stored version, walking HAPI's R4 element model so
 * that no element (or extension) can slip past unnoticed.
 */
final class R4UnchangedExceptStatus {

    /** Compared on their own: the id's history part and the server-kept meta fields change with every version. */
    private static final Set<String> RESOURCE_ELEMENTS = Set.of("id", "meta", "implicitRules", "language");

    private R4UnchangedExceptStatus() {
    }

    /** Names of the differing elements: the Resource-level ones first, then in the order the R4 model lists them. */
    static List<String> differingElements(Appointment current, Appointment proposed) {
        List<String> differing = new ArrayList<>();
        if (!Objects.equals(current.getIdElement().getIdPart(), proposed.getIdElement().getIdPart())) {
            differing.add("id");
        }
        if (!sameValues(List.of(comparable(current.getMeta())), List.of(comparable(proposed.getMeta())))) {
            differing.add("meta");
        }
        if (!sameValues(List.of(current.getImplicitRulesElement()), List.of(proposed.getImplicitRulesElement()))) {
            differing.add("implicitRules");
        }
        if (!sameValues(List.of(current.getLanguageElement()), List.of(proposed.getLanguageElement()))) {
            differing.add("language");
        }
        for (Property property : current.children()) {
            String name = property.getName();
            if (!"status".equals(name) && !RESOURCE_ELEMENTS.contains(name)
                    && !sameValues(property.getValues(), proposed.getNamedProperty(name).getValues())) {
                differing.add(name);
            }
        }
        return differing;
    }

    private static Meta comparable(Meta meta) {
        Meta copy = meta.copy();
        copy.setVersionId(null);
        copy.setLastUpdated(null);
        return copy;
    }

    /** Empty elements are absent in FHIR, so [] and [empty] are the same. */
    private static boolean sameValues(List<Base> a, List<Base> b) {
        List<Base> left = a.stream().filter(v -> v != null && !v.isEmpty()).toList();
        List<Base> right = b.stream().filter(v -> v != null && !v.isEmpty()).toList();
        if (left.size() != right.size()) {
            return false;
        }
        for (int i = 0; i < left.size(); i++) {
            if (!left.get(i).equalsDeep(right.get(i))) {
                return false;
            }
        }
        return true;
    }
}
