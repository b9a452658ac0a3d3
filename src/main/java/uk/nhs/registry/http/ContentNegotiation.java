package uk.nhs.registry.http;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.hl7.fhir.dstu3.model.OperationOutcome.IssueType;
import uk.nhs.registry.format.FhirFormat;
import uk.nhs.registry.outcome.ClientText;
import uk.nhs.registry.outcome.BadRequestException;
import uk.nhs.registry.outcome.NotAcceptableException;
import uk.nhs.registry.outcome.SpineCode;
import uk.nhs.registry.outcome.UnsupportedMediaTypeException;

/**
 * Which format a request is in and which one its answer should be in: `_format` beats `Accept`;
 * with neither, answer in the request's own format, else JSON.
 */
final class ContentNegotiation {

    private ContentNegotiation() {
    }

    static FhirFormat requestFormat(String contentType) {
        if (contentType == null || contentType.isBlank()) {
            throw new UnsupportedMediaTypeException(IssueType.NOTSUPPORTED, SpineCode.UNSUPPORTED_MEDIA_TYPE,
                    "A body needs a Content-Type: application/fhir+json or application/fhir+xml.");
        }
        return FhirFormat.named(contentType).orElseThrow(() -> new UnsupportedMediaTypeException(
                IssueType.NOTSUPPORTED, SpineCode.UNSUPPORTED_MEDIA_TYPE,
                "Content-Type '" + ClientText.quote(contentType) + "' is not supported; send application/fhir+json or application/fhir+xml."));
    }

    static FhirFormat responseFormat(String formatParameter, String accept, FhirFormat requestFormat) {
        if (formatParameter != null) {
            return FhirFormat.named(formatParameter).orElseThrow(() -> new BadRequestException(IssueType.INVALID,
                    SpineCode.INVALID_PARAMETER, "_format '" + ClientText.quote(formatParameter)
                            + "' is not supported; use json, xml, application/fhir+json or application/fhir+xml."));
        }
        FhirFormat fallback = requestFormat == null ? FhirFormat.JSON : requestFormat;
        if (accept == null || accept.isBlank()) {
            return fallback;
        }
        for (MediaRange range : ranges(accept)) {
            if (range.quality() <= 0) {
                continue;
            }
            if (range.type().equals("*/*") || range.type().equals("application/*")) {
                return fallback;
            }
            Optional<FhirFormat> named = FhirFormat.named(range.type());
            if (named.isPresent()) {
                return named.get();
            }
        }
        throw new NotAcceptableException(IssueType.NOTSUPPORTED, SpineCode.BAD_REQUEST,
                "None of the media types in Accept ('" + ClientText.quote(accept)
                        + "') can be produced; accept application/fhir+json or application/fhir+xml.");
    }

    private record MediaRange(String type, double quality) {
    }

    private static List<MediaRange> ranges(String accept) {
        List<MediaRange> ranges = new ArrayList<>();
        for (String part : accept.split(",")) {
            String[] pieces = part.split(";");
            String type = pieces[0].trim().toLowerCase(Locale.ROOT);
            double quality = 1.0;
            for (int i = 1; i < pieces.length; i++) {
                String parameter = pieces[i].trim();
                if (parameter.startsWith("q=")) {
                    try {
                        quality = Double.parseDouble(parameter.substring(2));
                    } catch (NumberFormatException e) {
                        quality = 0;
                    }
                }
            }
            if (!type.isEmpty()) {
                ranges.add(new MediaRange(type, quality));
            }
        }
        // Stable sort: among equal qualities the client's own order decides.
        ranges.sort(Comparator.comparingDouble(MediaRange::quality).reversed());
        return ranges;
    }

}
