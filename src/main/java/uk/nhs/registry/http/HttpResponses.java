package uk.nhs.registry.http;

import ca.uhn.fhir.parser.IParser;
import java.time.Instant;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.eclipse.jetty.http.DateGenerator;
import org.hl7.fhir.instance.model.api.IBaseResource;
import uk.nhs.registry.RegistryExchange;
import uk.nhs.registry.format.FhirFormat;

/** The parts every FHIR response shares, success or failure. */
final class HttpResponses {

    private HttpResponses() {
    }

    static FhirFormat format(Exchange exchange) {
        FhirFormat format = exchange.getProperty(RegistryExchange.RESPONSE_FORMAT, FhirFormat.class);
        return format == null ? FhirFormat.JSON : format;
    }

    /** Starts a response: clears every header the request brought and sets the common ones. */
    static Message start(Exchange exchange, int status) {
        Message message = exchange.getMessage();
        message.removeHeaders("*");
        // Camel writes a String body in the exchange's charset, which camel-http took from the
        // request's Content-Type: a UTF-16 request would be answered in UTF-16 under a utf-8 header.
        exchange.setProperty(Exchange.CHARSET_NAME, "UTF-8");
        message.setHeader(Exchange.HTTP_RESPONSE_CODE, status);
        message.setHeader(Exchange.CONTENT_TYPE, format(exchange).contentType());
        message.setHeader("Cache-Control", "no-store");
        message.setHeader("X-Request-Id", exchange.getProperty(RegistryExchange.REQUEST_ID));
        Object correlation = exchange.getProperty(RegistryExchange.CORRELATION_ID);
        if (correlation != null) {
            message.setHeader("X-Correlation-Id", correlation);
        }
        return message;
    }

    static String encode(Exchange exchange, IBaseResource resource) {
        // STU3 or R4: each resource is written with the context of its own FHIR version.
        IParser parser = format(exchange).newParser(uk.nhs.registry.Fhir.contextOf(resource));
        return parser.encodeResourceToString(resource);
    }

    /**
     * An HTTP date in the IMF-fixdate form (RFC 9110 §5.6.7): {@code Thu, 03 Dec 2026 09:05:07 GMT}.
     * Not Java's RFC_1123_DATE_TIME, which writes the first nine days of a month with one digit
     * ({@code Thu, 3 Dec 2026}), a form HTTP/1.1 senders must not generate.
     */
    static String httpDate(Instant instant) {
        return DateGenerator.formatDate(instant);
    }
}
