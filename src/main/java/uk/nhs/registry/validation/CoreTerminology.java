package uk.nhs.registry.validation;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.FhirVersionEnum;
import ca.uhn.fhir.context.support.DefaultProfileValidationSupport;
import ca.uhn.fhir.context.support.IValidationSupport;
import ca.uhn.fhir.context.support.ValidationSupportContext;
import ca.uhn.fhir.util.ClasspathUtil;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.hl7.fhir.common.hapi.validation.support.PrePopulatedValidationSupport;
import org.hl7.fhir.dstu3.model.CodeSystem;
import org.hl7.fhir.dstu3.model.CodeSystem.ConceptDefinitionComponent;
import org.hl7.fhir.dstu3.model.ValueSet;
import org.hl7.fhir.instance.model.api.IBaseResource;

/**
 * The FHIR STU3 core's code systems and value sets, each parsed the first time the validator asks
 * for it by URL.
 *
 * <p>Why not parsed all at once, as HAPI does: the core's 2,096 code systems and value sets are
 * ≈ 25 MB of heap once parsed, for the whole life of the process, while validating Appointments
 * only asks for the few that their bindings and codings name. Here each is kept as its compressed XML (≈ 2.5 MB in all) until it
 * is first asked for, then parsed exactly as HAPI parses the files (as a Bundle entry, so it gets
 * the same id) and kept.
 *
 * <p>Which resource a URL names is decided exactly as before, when HAPI's core handed the parsed
 * resources to a {@link PrePopulatedValidationSupport}: the same files in the same order, the
 * last of equal URLs winning as in HAPI's maps, and the same support deciding which URL forms
 * (with or without a version, the last one or two path segments) name which resource, holding
 * stand-ins that carry only a URL and version.
 *
 * <p>HAPI's validator never lists terminology, it only fetches it by URL
 * ({@code WorkerContextValidationSupportAdapter} lists structure definitions only), so nothing is
 * parsed on a listing; {@link #fetchAllConformanceResources()} does parse everything, for
 * whoever asks.
 */
final class CoreTerminology implements IValidationSupport {

    /** HAPI's DSTU3 terminology files, in the order its bundle strategy reads them. */
    private static final List<String> FILES = List.of(
            "/org/hl7/fhir/dstu3/model/valueset/valuesets.xml",
            "/org/hl7/fhir/dstu3/model/valueset/v2-tables.xml",
            "/org/hl7/fhir/dstu3/model/valueset/v3-codesystems.xml");
    /** The same for the R4 core, for the medTech flavour (CONTRACT §7). */
    private static final List<String> R4_FILES = FILES.stream().map(f -> f.replace("/dstu3/", "/r4/")).toList();
    /** A code system HAPI adds to the core after each file (its storage response codes). */
    private static final String HAPI_STORAGE_CODES = "ca/uhn/fhir/context/support/HapiFhirStorageResponseCode.json";

    private final FhirContext ctx;
    private final PrePopulatedValidationSupport urls;
    private final Map<IBaseResource, BundledResource> entryOfStandIn;
    private final Map<BundledResource, IBaseResource> parsed = new ConcurrentHashMap<>();

    private CoreTerminology(FhirContext ctx, PrePopulatedValidationSupport urls,
            Map<IBaseResource, BundledResource> entryOfStandIn) {
        this.ctx = ctx;
        this.urls = urls;
        this.entryOfStandIn = entryOfStandIn;
    }

    /** Reads the core's terminology files into compressed entries; parses none of them. */
    static CoreTerminology load(FhirContext ctx) {
        boolean r4 = ctx.getVersion().getVersion() == FhirVersionEnum.R4;
        Map<String, BundledResource> codeSystems = new HashMap<>();
        Map<String, BundledResource> valueSets = new HashMap<>();
        Map<String, Map<String, BundledResource>> byTypeThenUrl = Map.of("CodeSystem", codeSystems, "ValueSet", valueSets);
        BundledResource storageCodes = BundledResource.ofJson(ClasspathUtil.loadResource(HAPI_STORAGE_CODES), ctx);
        for (String file : r4 ? R4_FILES : FILES) {
            BundledResource.addByUrl(file, byTypeThenUrl);
            codeSystems.put(storageCodes.value("url"), storageCodes); // where HAPI puts it
            // compressed file by file, so that only one file's texts are held at once
            codeSystems.replaceAll((url, entry) -> entry.compressed());
            valueSets.replaceAll((url, entry) -> entry.compressed());
        }
        PrePopulatedValidationSupport urls = new PrePopulatedValidationSupport(ctx);
        Map<IBaseResource, BundledResource> entryOfStandIn = new IdentityHashMap<>();
        for (BundledResource entry : codeSystems.values()) {
            IBaseResource standIn = r4
                    ? new org.hl7.fhir.r4.model.CodeSystem().setUrl(entry.value("url")).setVersion(entry.value("version"))
                    : new CodeSystem().setUrl(entry.value("url")).setVersion(entry.value("version"));
            urls.addCodeSystem(standIn);
            entryOfStandIn.put(standIn, entry);
        }
        for (BundledResource entry : valueSets.values()) {
            IBaseResource standIn = r4
                    ? new org.hl7.fhir.r4.model.ValueSet().setUrl(entry.value("url")).setVersion(entry.value("version"))
                    : new ValueSet().setUrl(entry.value("url")).setVersion(entry.value("version"));
            urls.addValueSet(standIn);
            entryOfStandIn.put(standIn, entry);
        }
        urls.lock();
        return new CoreTerminology(ctx, urls, entryOfStandIn);
    }

    @Override
    public FhirContext getFhirContext() {
        return ctx;
    }

    @Override
    public String getName() {
        return "FHIR " + (ctx.getVersion().getVersion() == FhirVersionEnum.R4 ? "R4" : "STU3")
                + " core terminology, parsed on first use";
    }

    @Override
    public IBaseResource fetchCodeSystem(String system) {
        return resolve(urls.fetchCodeSystem(system));
    }

    @Override
    public IBaseResource fetchValueSet(String uri) {
        return resolve(urls.fetchValueSet(uri));
    }

    @Override
    public boolean isCodeSystemSupported(ValidationSupportContext context, String system) {
        return urls.isCodeSystemSupported(context, system);
    }

    @Override
    public boolean isValueSetSupported(ValidationSupportContext context, String valueSetUrl) {
        return urls.isValueSetSupported(context, valueSetUrl);
    }

    /** Everything, parsed: for tools that list the core, never asked by the validator. */
    @Override
    public List<IBaseResource> fetchAllConformanceResources() {
        List<IBaseResource> all = new ArrayList<>();
        for (IBaseResource standIn : urls.fetchAllConformanceResources()) {
            all.add(resolve(standIn));
        }
        return all;
    }

    /** How many of the core's code systems and value sets have been parsed so far. */
    int parsedCount() {
        return parsed.size();
    }

    private IBaseResource resolve(IBaseResource standIn) {
        if (standIn == null) {
            return null;
        }
        return parsed.computeIfAbsent(entryOfStandIn.get(standIn), entry -> {
            IBaseResource resource = entry.parse(ctx);
            // as HAPI's core marks what it hands out (findings name the package)
            resource.setUserData(DefaultProfileValidationSupport.SOURCE_PACKAGE_ID,
                    resource.getStructureFhirVersionEnum() == FhirVersionEnum.R4 ? CoreDefinitions.R4_SOURCE_PACKAGE
                            : CoreDefinitions.SOURCE_PACKAGE);
            return resource instanceof CodeSystem cs ? withoutDocumentation(cs) : resource;
        });
    }

    /** A code system without what is written for people: its narrative, description, purpose and concept definitions. */
    private static CodeSystem withoutDocumentation(CodeSystem cs) {
        cs.setText(null);
        cs.setDescription(null);
        cs.setPurpose(null);
        withoutDefinitions(cs.getConcept());
        return cs;
    }

    private static void withoutDefinitions(List<ConceptDefinitionComponent> concepts) {
        for (ConceptDefinitionComponent concept : concepts) {
            concept.setDefinition(null);
            withoutDefinitions(concept.getConcept());
        }
    }
}
