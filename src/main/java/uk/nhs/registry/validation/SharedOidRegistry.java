package uk.nhs.registry.validation;

import java.lang.reflect.Field;
import org.hl7.fhir.utilities.OIDUtilities;
import org.hl7.fhir.validation.instance.InstanceValidator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lets every pooled InstanceValidator use one OID registry.
 *
 * <p>Why: each InstanceValidator's constructor parses the RI's {@code oidregistry.csv} into a map
 * of some 20,000 OIDs (~5 MB of heap) that it only ever reads afterwards ({@code isKnownOID}). The
 * pool keeps one validator per core, so without sharing the heap holds one copy per core. The
 * field is private and cannot be handed in, so it is set by reflection; if a library upgrade
 * moves it, {@link #available()} turns false (a test checks it) and each validator keeps its own.
 */
final class SharedOidRegistry {

    private static final Logger LOG = LoggerFactory.getLogger(SharedOidRegistry.class);
    private static final Field OIDS;

    static {
        Field oids = null;
        try {
            oids = InstanceValidator.class.getDeclaredField("oids");
            if (oids.getType() != OIDUtilities.class) {
                throw new NoSuchFieldException("oids is a " + oids.getType().getName());
            }
            oids.setAccessible(true);
        } catch (ReflectiveOperationException | RuntimeException e) {
            LOG.info("Each pooled validator keeps its own OID registry: cannot reach the RI's ({})", e.toString());
            oids = null;
        }
        OIDS = oids;
    }

    private SharedOidRegistry() {
    }

    static boolean available() {
        return OIDS != null;
    }

    /**
     * Makes the validator use {@code shared}, or, when there is none yet, returns the validator's
     * own registry to share from now on. Null when the registry cannot be reached.
     */
    static OIDUtilities share(InstanceValidator validator, OIDUtilities shared) {
        if (OIDS == null) {
            return null;
        }
        try {
            if (shared == null) {
                return (OIDUtilities) OIDS.get(validator);
            }
            OIDS.set(validator, shared);
            return shared;
        } catch (IllegalAccessException | RuntimeException e) {
            return null;
        }
    }

    /** The registry a validator uses; for tests. */
    static OIDUtilities of(InstanceValidator validator) throws IllegalAccessException {
        return (OIDUtilities) OIDS.get(validator);
    }
}
