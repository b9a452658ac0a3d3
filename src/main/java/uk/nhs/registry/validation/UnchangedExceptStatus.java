package uk.nhs.registry.validation;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.hl7.fhir.dstu3.model.Appointment;
import org.hl7.fhir.dstu3.model.Base;
import org.hl7.fhir.dstu3.model.Meta;
import org.hl7.fhir.dstu3.model.Property;

/**
 * The cancel rule's comparison: which top-level elements of a proposed Appointment differ from the
 * stored version. Walks HAPI's own element model ({@link Base#children()}) rather than a hand-kept
 * list of fields, so an element added to the model (or an extension) cannot slip past unnoticed.
 */
final class UnchangedExceptStatus {

    private UnchangedExceptStatus() {
    }

    /** Names of the differing elements: the Resource-level ones first, then in the order the STU3 model lists them. */
    static List<String> differingElements(Appointment current, Appointment proposed) {
        List<String> differing = new ArrayList<>();
        // DSTU3's DomainResource.listChildren() leaves out Resource's own elements, so they are compared here.
        // The id's history part and the server-kept meta fields change with every version, so they do not count.
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
            if (!"status".equals(name) && !sameValues(property.getValues(), proposed.getNamedProperty(name).getValues())) {
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
