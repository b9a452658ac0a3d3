package uk.nhs.registry.validation;

import java.lang.reflect.Field;
import java.util.List;
import org.hl7.fhir.validation.instance.InstanceValidator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Empties the list of codings an InstanceValidator collects while it validates.
 *
 * <p>Why: the RI keeps every coding it has seen, for checks against the IPS (off here), each with
 * the node stack that leads to it, and so the whole element tree of every resource it validated.
 * A reused validator therefore held hundreds of element trees (~40 MB per pooled validator under
 * load), which kept the garbage collector busy. The list is private and has no reset, so it is
 * reached by reflection; if a library upgrade renames it, {@link #available()} turns false (a test
 * checks it), and the pool falls back to replacing each validator after a number of uses.
 */
final class SeenCodings {

    private static final Logger LOG = LoggerFactory.getLogger(SeenCodings.class);
    private static final Field OBSERVER;
    private static final Field LIST;

    static {
        Field observer = null;
        Field list = null;
        try {
            observer = InstanceValidator.class.getDeclaredField("codingObserver");
            observer.setAccessible(true);
            list = observer.getType().getDeclaredField("list");
            list.setAccessible(true);
        } catch (ReflectiveOperationException | RuntimeException e) {
            LOG.info("Validators will be replaced after a number of uses: cannot reach the RI's coding list ({})",
                    e.toString());
            observer = null;
            list = null;
        }
        OBSERVER = observer;
        LIST = list;
    }

    private SeenCodings() {
    }

    static boolean available() {
        return LIST != null;
    }

    /** Forgets what the validator has collected; false when that is not possible. */
    static boolean forget(InstanceValidator validator) {
        List<?> seen = seen(validator);
        if (seen == null) {
            return false;
        }
        seen.clear();
        return true;
    }

    /** How many codings the validator holds; -1 when that cannot be known. */
    static int count(InstanceValidator validator) {
        List<?> seen = seen(validator);
        return seen == null ? -1 : seen.size();
    }

    private static List<?> seen(InstanceValidator validator) {
        if (LIST == null) {
            return null;
        }
        try {
            return (List<?>) LIST.get(OBSERVER.get(validator));
        } catch (IllegalAccessException | RuntimeException e) {
            return null;
        }
    }
}
