package uk.nhs.registry.validation;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.IParser;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.hl7.fhir.dstu3.model.MetadataResource;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Collects the StructureDefinitions, ValueSets and CodeSystems the validator knows beyond the FHIR
 * core: the ones the registry ships, then the operator's folder. Keyed by canonical URL so that an
 * operator's definition replaces a shipped one with the same URL (that is how an operator tightens
 * or corrects a profile without a new release).
 */
final class ConformanceResources {

    private static final Logger LOG = LoggerFactory.getLogger(ConformanceResources.class);

    /** Shipped with the registry; listed rather than scanned because classpath scanning breaks in OSGi. */
    static final List<String> SHIPPED = List.of("/profiles/CareConnect-Appointment-1.json");

    private static final Set<String> KINDS = Set.of("StructureDefinition", "ValueSet", "CodeSystem");

    private ConformanceResources() {
    }

    static Map<String, MetadataResource> load(FhirContext ctx, Optional<Path> profilesDir) {
        Map<String, MetadataResource> byUrl = new LinkedHashMap<>();
        for (String name : SHIPPED) {
            put(byUrl, parse(ctx, name, readResource(name)), name);
        }
        profilesDir.ifPresent(dir -> {
            for (Path file : filesIn(dir)) {
                MetadataResource resource = parse(ctx, file.toString(), readFile(file));
                if (resource == null) {
                    LOG.warn("Ignoring {}: only StructureDefinition, ValueSet and CodeSystem are used", file);
                } else {
                    MetadataResource replaced = put(byUrl, resource, file.toString());
                    if (replaced != null) {
                        LOG.info("{} overrides the shipped definition of {}", file, resource.getUrl());
                    }
                }
            }
        });
        return byUrl;
    }

    private static MetadataResource put(Map<String, MetadataResource> byUrl, MetadataResource resource, String source) {
        if (resource == null || !resource.hasUrl()) {
            throw new IllegalStateException("Conformance resource " + source + " has no url");
        }
        return byUrl.put(resource.getUrl(), resource);
    }

    /**
     * Every file, sorted so that two files with the same URL resolve the same way on every machine.
     * A file the registry cannot read stops start-up: silently not enforcing a profile the operator
     * configured would be worse than not starting.
     */
    private static List<Path> filesIn(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new IllegalStateException("registry.validation.profiles-dir " + dir.toAbsolutePath() + " is not a directory");
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(Files::isRegularFile)
                    .filter(f -> {
                        String n = f.getFileName().toString().toLowerCase();
                        return n.endsWith(".xml") || n.endsWith(".json");
                    })
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot list " + dir, e);
        }
    }

    private static MetadataResource parse(FhirContext ctx, String source, String text) {
        // Published NHS files start with a byte-order mark, which the XML parser rejects as "content in prolog".
        String body = text.startsWith("\uFEFF") ? text.substring(1) : text;
        IParser parser = body.stripLeading().startsWith("<") ? ctx.newXmlParser() : ctx.newJsonParser();
        IBaseResource resource;
        try {
            resource = parser.parseResource(body);
        } catch (RuntimeException e) {
            throw new IllegalStateException("Cannot parse conformance resource " + source + ": " + e.getMessage(), e);
        }
        return KINDS.contains(ctx.getResourceType(resource)) ? (MetadataResource) resource : null;
    }

    private static String readResource(String name) {
        try (InputStream in = ConformanceResources.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("Shipped profile " + name + " is missing from the artifact");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String readFile(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + file, e);
        }
    }
}
