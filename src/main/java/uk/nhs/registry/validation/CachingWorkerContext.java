package uk.nhs.registry.validation;

import ca.uhn.fhir.context.support.IValidationSupport;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.hl7.fhir.common.hapi.validation.validator.WorkerContextValidationSupportAdapter;
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
 * <p>Only what was found is kept: a URL that finds nothing may come from a client (an unknown
 * profile or code system named in a resource), and remembering those would let clients grow the
 * map without limit; the found ones are bounded by the definitions the registry holds.
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
        if (fetched != null) {
            ofType.putIfAbsent(url, fetched);
        }
        return fetched;
    }

    @Override
    public void invalidateCaches() {
        found.clear();
        super.invalidateCaches();
    }
}
