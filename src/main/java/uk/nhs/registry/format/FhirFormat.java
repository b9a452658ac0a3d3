package uk.nhs.registry.format;

import ca.uhn.fhir.parser.IParser;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import uk.nhs.registry.Fhir;

/** The two FHIR wire formats and every media type and `_format` spelling that names them. */
public enum FhirFormat {
    JSON("application/fhir+json",
            Set.of("application/fhir+json", "application/json", "application/json+fhir", "json", "text/json")),
    XML("application/fhir+xml",
            Set.of("application/fhir+xml", "application/xml", "application/xml+fhir", "xml", "text/xml"));

    private final String mediaType;
    private final Set<String> names;

    FhirFormat(String mediaType, Set<String> names) {
        this.mediaType = mediaType;
        this.names = names;
    }

    /** The Content-Type the registry answers with (STU3's own media types, always UTF-8). */
    public String contentType() {
        return mediaType + ";charset=utf-8";
    }

    /** A parser for STU3 resources. */
    public IParser newParser() {
        return newParser(Fhir.context());
    }

    /** A parser for the FHIR version of the given context (STU3 or R4). */
    public IParser newParser(ca.uhn.fhir.context.FhirContext context) {
        return this == JSON ? context.newJsonParser() : context.newXmlParser();
    }

    /**
     * The format a media type or `_format` value names; parameters such as charset or fhirVersion
     * are ignored. Empty when the name is not one of ours.
     */
    public static Optional<FhirFormat> named(String value) {
        if (value == null) {
            return Optional.empty();
        }
        String bare = value.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        for (FhirFormat format : values()) {
            if (format.names.contains(bare)) {
                return Optional.of(format);
            }
        }
        return Optional.empty();
    }

    /** Guesses the format of a payload from its first significant character, for feeds without a content type. */
    public static Optional<FhirFormat> sniff(String payload) {
        for (int i = 0; i < payload.length(); i++) {
            char c = payload.charAt(i);
            if (c == '{') {
                return Optional.of(JSON);
            }
            if (c == '<') {
                return Optional.of(XML);
            }
            if (!Character.isWhitespace(c) && c != '\uFEFF') {
                return Optional.empty();
            }
        }
        return Optional.empty();
    }
}
