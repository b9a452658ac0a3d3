package uk.nhs.registry.http;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.hl7.fhir.dstu3.model.OperationOutcome.IssueType;
import uk.nhs.registry.outcome.BadRequestException;
import uk.nhs.registry.outcome.SpineCode;

/**
 * The raw query string as FHIR reads it: names kept exactly (`actor:Patient.identifier`), repeats
 * kept in order. Parsed from the URL itself rather than from Camel headers, where query
 * parameters and HTTP headers share one namespace.
 */
record QueryString(Map<String, List<String>> parameters, String raw) {

    static QueryString parse(String raw) {
        Map<String, List<String>> parameters = new LinkedHashMap<>();
        if (raw == null || raw.isEmpty()) {
            return new QueryString(parameters, "");
        }
        for (String pair : raw.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = decode(eq < 0 ? pair : pair.substring(0, eq));
            String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
            parameters.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
        }
        return new QueryString(parameters, raw);
    }

    /** The single value of a parameter, or null; a repeated one is a client error. */
    String single(String name) {
        List<String> values = parameters.get(name);
        if (values == null) {
            return null;
        }
        if (values.size() > 1) {
            throw new BadRequestException(IssueType.INVALID, SpineCode.INVALID_PARAMETER,
                    "Parameter '" + name + "' may be given only once.");
        }
        return values.get(0);
    }

    private static String decode(String text) {
        try {
            return URLDecoder.decode(text, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new BadRequestException(IssueType.INVALID, SpineCode.INVALID_PARAMETER,
                    "The query string is not correctly percent-encoded.");
        }
    }
}
