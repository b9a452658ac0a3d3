package uk.nhs.registry.validation;

import ca.uhn.fhir.context.support.IValidationSupport;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.hl7.fhir.common.hapi.validation.validator.WorkerContextValidationSupportAdapter;
import org.hl7.fhir.r5.model.CanonicalResource;
import org.hl7.fhir.r5.model.Resource;

/**
 * HAPI's worker context, remembering every definition it has found by type and canonical URL.
 *
 * <p>Why: the RI validator looks a definition up for nearly every element it checks (the element's
 * type, its profile, each binding's value set), and every lookup through HAPI's adapter resolves
 * the type name through the FhirContext, walks the validation support chain, checks version
 * strings and takes a lock on the found definition to fetch its R5 copy: ≈ 5 % of a registration's
 * request-thread CPU, the lock shared by all request threads. The definitions are locked after
 * start-up, so the same URL always finds the same R5 copy, which is what this returns.
 *
 * <p>Only definitions found under their own canonical URL are kept: a URL may come from a client
 * (a profile or code system named in a resource), and remembering every URL asked for, found or
 * not, would let clients grow the map without limit; this way it is bounded by the definitions
 * the registry holds.
 */
final class CachingWorkerContext extends WorkerContextValidationSupportAdapter {

    private final Map<Class<?>, Map<String, Resource>> found = new ConcurrentHashMap<>();

    CachingWorkerContext(IValidationSupport support) {
        super(support);
    }

    @Override
    public <T extends Resource> T fetchResource(Class<T> type, String url) {
        if (url == null) {
            return null;
        }
        Map<String, Resource> ofType = found.computeIfAbsent(type, t -> new ConcurrentHashMap<>());
        Resource known = ofType.get(url);
        if (known != null) {
            return type.cast(known);
        }
        T fetched = super.fetchResource(type, url);
        if (fetched instanceof CanonicalResource definition && isCanonicalUrlOf(definition, url)) {
            ofType.putIfAbsent(url, fetched);
        }
        return fetched;
    }

    /*
     * Only the definition's own URL, bare or with its own version, is remembered: a lookup may
     * also find a definition under a URL a client varied (another version after the '|'), and
     * those would otherwise grow the map without limit too.
     */
    private static boolean isCanonicalUrlOf(CanonicalResource definition, String url) {
        String canonical = definition.getUrl();
        return url.equals(canonical) || url.equals(canonical + "|" + definition.getVersion());
    }

    @Override
    public void invalidateCaches() {
        found.clear();
        super.invalidateCaches();
    }
}
