package uk.nhs.registry.validation;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.support.DefaultProfileValidationSupport;
import ca.uhn.fhir.context.support.IValidationSupport;
import ca.uhn.fhir.context.support.ValidationSupportContext;
import ca.uhn.fhir.util.BundleUtil;
import ca.uhn.fhir.util.ClasspathUtil;
import java.io.ByteArrayOutputStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;
import org.hl7.fhir.common.hapi.validation.support.PrePopulatedValidationSupport;
import org.hl7.fhir.dstu3.model.CodeSystem;
import org.hl7.fhir.dstu3.model.CodeSystem.ConceptDefinitionComponent;
import org.hl7.fhir.dstu3.model.MetadataResource;
import org.hl7.fhir.dstu3.model.ValueSet;
import org.hl7.fhir.instance.model.api.IBaseBundle;
import org.hl7.fhir.instance.model.api.IBaseResource;

/**
 * The FHIR STU3 core's code systems and value sets, each parsed the first time the validator asks
 * for it by URL.
 *
 * <p>Why not parsed all at once, as HAPI does: the core's 1,570 code systems and value sets are
 * ≈ 25 MB of heap once parsed, for the whole life of the process, while validating Appointments
 * uses a few dozen of them. Here each is kept as its compressed XML (≈ 1.5 MB in all) until it
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
    /** A code system HAPI adds to the core after each file (its storage response codes). */
    private static final String HAPI_STORAGE_CODES = "ca/uhn/fhir/context/support/HapiFhirStorageResponseCode.json";
    private static final String SOURCE_PACKAGE = "hl7.fhir.r3.core";
    private static final String ENTRY_START = "<entry>";
    private static final String ENTRY_END = "</entry>";

    private final FhirContext ctx;
    private final PrePopulatedValidationSupport urls;
    private final Map<IBaseResource, Entry> entryOfStandIn;
    private final Map<Entry, IBaseResource> parsed = new ConcurrentHashMap<>();

    private CoreTerminology(FhirContext ctx, PrePopulatedValidationSupport urls, Map<IBaseResource, Entry> entryOfStandIn) {
        this.ctx = ctx;
        this.urls = urls;
        this.entryOfStandIn = entryOfStandIn;
    }

    /** Reads the core's terminology files into compressed entries; parses none of them. */
    static CoreTerminology load(FhirContext ctx) {
        // Keyed by URL, filled in HAPI's order, so that equal URLs end as in HAPI's maps and the
        // maps list them in the same order (which decides between two resources sharing a short form).
        Map<String, Entry> codeSystems = new HashMap<>();
        Map<String, Entry> valueSets = new HashMap<>();
        Entry storageCodes = Entry.json(ClasspathUtil.loadResource(HAPI_STORAGE_CODES), ctx);
        XMLInputFactory xml = XMLInputFactory.newFactory();
        // The files are the library's own; still, no DTDs and no external entities.
        xml.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        xml.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        for (String file : FILES) {
            for (Entry entry : entriesOf(file, xml)) {
                if (entry.url == null || entry.url.isBlank()) {
                    continue; // as HAPI: a resource without a URL cannot be asked for
                }
                switch (entry.resourceType) {
                    case "CodeSystem" -> codeSystems.put(entry.url, entry);
                    case "ValueSet" -> valueSets.put(entry.url, entry);
                    default -> {
                        // HAPI's core keeps only code systems and value sets from these files
                    }
                }
            }
            codeSystems.put(storageCodes.url, storageCodes);
        }
        PrePopulatedValidationSupport urls = new PrePopulatedValidationSupport(ctx);
        Map<IBaseResource, Entry> entryOfStandIn = new IdentityHashMap<>();
        for (Entry entry : codeSystems.values()) {
            CodeSystem standIn = new CodeSystem().setUrl(entry.url).setVersion(entry.version);
            urls.addCodeSystem(standIn);
            entryOfStandIn.put(standIn, entry);
        }
        for (Entry entry : valueSets.values()) {
            ValueSet standIn = new ValueSet().setUrl(entry.url).setVersion(entry.version);
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
        return "FHIR STU3 core terminology, parsed on first use";
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
            resource.setUserData(DefaultProfileValidationSupport.SOURCE_PACKAGE_ID, SOURCE_PACKAGE);
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

    private static List<Entry> entriesOf(String file, XMLInputFactory xml) {
        String bundle = ClasspathUtil.loadResource(file);
        List<Entry> entries = new ArrayList<>();
        for (int start = bundle.indexOf(ENTRY_START); start >= 0; start = bundle.indexOf(ENTRY_START, start)) {
            int end = bundle.indexOf(ENTRY_END, start);
            if (end < 0) {
                throw new IllegalStateException(file + ": an <entry> without its end");
            }
            end += ENTRY_END.length();
            entries.add(Entry.xml(bundle.substring(start, end), xml));
            start = end;
        }
        return entries;
    }

    /** One code system or value set of the core, compressed until it is parsed. */
    private static final class Entry {
        private final byte[] compressed;
        private final boolean isJson;
        final String resourceType;
        final String url;
        final String version;

        private Entry(byte[] compressed, boolean isJson, String resourceType, String url, String version) {
            this.compressed = compressed;
            this.isJson = isJson;
            this.resourceType = resourceType;
            this.url = url;
            this.version = version;
        }

        /** A resource in JSON; parsed once here to read its type, URL and version. */
        static Entry json(String resource, FhirContext ctx) {
            MetadataResource parsed = (MetadataResource) ctx.newJsonParser().parseResource(resource);
            return new Entry(deflate(resource), true, parsed.fhirType(), parsed.getUrl(), parsed.getVersion());
        }

        /** A Bundle entry; its resource's type, URL and version read from its resource's own elements. */
        static Entry xml(String entry, XMLInputFactory xml) {
            String resourceType = null;
            String url = null;
            String version = null;
            try {
                XMLStreamReader reader = xml.createXMLStreamReader(new StringReader(entry));
                // depth 1 is <entry>, 2 <resource>, 3 the resource, 4 its own elements
                int depth = 0;
                while (reader.hasNext()) {
                    int event = reader.next();
                    if (event == XMLStreamConstants.START_ELEMENT) {
                        depth++;
                        if (depth == 3) {
                            resourceType = reader.getLocalName();
                        } else if (depth == 4 && "url".equals(reader.getLocalName())) {
                            url = reader.getAttributeValue(null, "value");
                        } else if (depth == 4 && "version".equals(reader.getLocalName())) {
                            version = reader.getAttributeValue(null, "value");
                        }
                    } else if (event == XMLStreamConstants.END_ELEMENT) {
                        depth--;
                    }
                }
                reader.close();
            } catch (XMLStreamException e) {
                throw new IllegalStateException("Cannot read a core terminology entry: " + e.getMessage(), e);
            }
            return new Entry(deflate(entry), false, resourceType, url, version);
        }

        IBaseResource parse(FhirContext ctx) {
            String text = inflate(compressed);
            if (isJson) {
                return ctx.newJsonParser().parseResource(text);
            }
            // As part of a Bundle, as HAPI reads the files, so that the resource gets the same id (from fullUrl).
            IBaseBundle bundle = (IBaseBundle) ctx.newXmlParser().parseResource(
                    "<Bundle xmlns=\"http://hl7.org/fhir\"><type value=\"collection\"/>" + text + "</Bundle>");
            return BundleUtil.toListOfResources(ctx, bundle).get(0);
        }

        private static byte[] deflate(String text) {
            Deflater deflater = new Deflater(Deflater.BEST_SPEED);
            deflater.setInput(text.getBytes(StandardCharsets.UTF_8));
            deflater.finish();
            ByteArrayOutputStream out = new ByteArrayOutputStream(text.length() / 4 + 16);
            byte[] buffer = new byte[8192];
            while (!deflater.finished()) {
                out.write(buffer, 0, deflater.deflate(buffer));
            }
            deflater.end();
            return out.toByteArray();
        }

        private static String inflate(byte[] compressed) {
            Inflater inflater = new Inflater();
            inflater.setInput(compressed);
            ByteArrayOutputStream out = new ByteArrayOutputStream(compressed.length * 6);
            byte[] buffer = new byte[8192];
            try {
                while (!inflater.finished()) {
                    int n = inflater.inflate(buffer);
                    if (n == 0 && inflater.needsInput()) {
                        throw new IllegalStateException("a core terminology entry is truncated");
                    }
                    out.write(buffer, 0, n);
                }
            } catch (DataFormatException e) {
                throw new IllegalStateException("a core terminology entry is corrupt", e);
            } finally {
                inflater.end();
            }
            return out.toString(StandardCharsets.UTF_8);
        }
    }
}
