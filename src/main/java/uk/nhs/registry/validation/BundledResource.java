package uk.nhs.registry.validation;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.util.BundleUtil;
import ca.uhn.fhir.util.ClasspathUtil;
import java.io.ByteArrayOutputStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;
import org.hl7.fhir.instance.model.api.IBaseBundle;
import org.hl7.fhir.instance.model.api.IBaseResource;

/**
 * One resource of the FHIR core files HAPI ships as XML Bundles, with the few values of its own
 * that decide whether it is needed (URL, version, kind, type, derivation) read without parsing
 * it, and parsed, exactly as HAPI parses the file, only when it is.
 *
 * <p>Why: HAPI parses every file whole, and most of what it parses is never used by a registry
 * that validates Appointments (see {@link CoreDefinitions} and {@link CoreTerminology}).
 */
final class BundledResource {

    /** The resource's own elements whose values are read before it is parsed. */
    private static final Set<String> READ_AHEAD = Set.of("url", "version", "kind", "type", "derivation");
    private static final String ENTRY_START = "<entry>";
    private static final String ENTRY_END = "</entry>";

    private final String resourceType;
    private final Map<String, String> values;
    private final String text;
    private final byte[] deflated;
    private final boolean json;

    private BundledResource(String resourceType, Map<String, String> values, String text, byte[] deflated, boolean json) {
        this.resourceType = resourceType;
        this.values = values;
        this.text = text;
        this.deflated = deflated;
        this.json = json;
    }

    /** Every entry of one of HAPI's core Bundle files on the class path, in file order. */
    private static List<BundledResource> readAll(String file) {
        String bundle = ClasspathUtil.loadResource(file);
        XMLInputFactory xml = newXmlInputFactory(); // one per file: factories need not be thread-safe
        List<BundledResource> entries = new ArrayList<>();
        for (int start = bundle.indexOf(ENTRY_START); start >= 0; start = bundle.indexOf(ENTRY_START, start)) {
            int end = bundle.indexOf(ENTRY_END, start);
            if (end < 0) {
                throw new IllegalStateException(file + ": an <entry> without its end");
            }
            end += ENTRY_END.length();
            entries.add(ofEntry(bundle.substring(start, end), xml));
            start = end;
        }
        return entries;
    }

    /**
     * Adds one of HAPI's core files to per-type maps keyed by URL, as HAPI's bundle strategy fills
     * its own: only the types given (the keys of {@code byTypeThenUrl}), only entries with a URL,
     * the last of equal URLs winning. Filled file by file in HAPI's order, the maps end up holding
     * what HAPI's do and listing it in the same order (which decides between two resources that
     * share a short form of their URLs).
     */
    static void addByUrl(String file, Map<String, Map<String, BundledResource>> byTypeThenUrl) {
        for (BundledResource entry : readAll(file)) {
            Map<String, BundledResource> byUrl = byTypeThenUrl.get(entry.resourceType);
            String url = entry.value("url");
            if (byUrl != null && url != null && !url.isBlank()) {
                byUrl.put(url, entry);
            }
        }
    }

    /** A single resource in JSON; parsed once here to read its values. */
    static BundledResource ofJson(String resource, FhirContext ctx) {
        IBaseResource parsed = ctx.newJsonParser().parseResource(resource);
        // by the terser, so that the STU3 and R4 cores read it alike
        ca.uhn.fhir.util.FhirTerser terser = ctx.newTerser();
        Map<String, String> values = new HashMap<>();
        values.put("url", terser.getSinglePrimitiveValueOrNull(parsed, "url"));
        values.put("version", terser.getSinglePrimitiveValueOrNull(parsed, "version"));
        return new BundledResource(parsed.fhirType(), values, resource, null, true);
    }

    String resourceType() {
        return resourceType;
    }

    /** The value of one of the resource's own elements read ahead (url, version, kind, type, derivation), or null. */
    String value(String element) {
        return values.get(element);
    }

    /** The same resource, holding its text compressed until it is parsed (for resources kept for later). */
    BundledResource compressed() {
        return text == null ? this : new BundledResource(resourceType, values, null, deflate(text), json);
    }

    IBaseResource parse(FhirContext ctx) {
        String source = text != null ? text : inflate(deflated);
        if (json) {
            return ctx.newJsonParser().parseResource(source);
        }
        // As part of a Bundle, as HAPI reads the files, so that the resource gets the same id (from fullUrl).
        IBaseBundle bundle = (IBaseBundle) ctx.newXmlParser().parseResource(
                "<Bundle xmlns=\"http://hl7.org/fhir\"><type value=\"collection\"/>" + source + "</Bundle>");
        return BundleUtil.toListOfResources(ctx, bundle).get(0);
    }

    private static BundledResource ofEntry(String entry, XMLInputFactory xml) {
        String resourceType = null;
        Map<String, String> values = new HashMap<>();
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
                    } else if (depth == 4 && READ_AHEAD.contains(reader.getLocalName())) {
                        values.put(reader.getLocalName(), reader.getAttributeValue(null, "value"));
                    }
                } else if (event == XMLStreamConstants.END_ELEMENT) {
                    depth--;
                }
            }
            reader.close();
        } catch (XMLStreamException e) {
            throw new IllegalStateException("Cannot read an entry of a FHIR core file: " + e.getMessage(), e);
        }
        return new BundledResource(resourceType, values, entry, null, false);
    }

    private static XMLInputFactory newXmlInputFactory() {
        XMLInputFactory xml = XMLInputFactory.newFactory();
        // The files are the library's own; still, no DTDs and no external entities.
        xml.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        xml.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        return xml;
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
                    throw new IllegalStateException("a compressed FHIR core resource is truncated");
                }
                out.write(buffer, 0, n);
            }
        } catch (DataFormatException e) {
            throw new IllegalStateException("a compressed FHIR core resource is corrupt", e);
        } finally {
            inflater.end();
        }
        return out.toString(StandardCharsets.UTF_8);
    }
}
