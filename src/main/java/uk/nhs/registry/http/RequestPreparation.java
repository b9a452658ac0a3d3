package uk.nhs.registry.http;

import java.util.regex.Pattern;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import uk.nhs.registry.RegistryExchange;
import uk.nhs.registry.RequestIds;
import uk.nhs.registry.format.FhirFormat;
import uk.nhs.registry.store.Flavour;

/**
 * First step of every FHIR request: settle the request id (and put it in the log context), find
 * the interaction, and decide the response format, so that even a request rejected in the next
 * step is answered with the right id and format. The flavour is settled here too, from the path:
 * below {@value #R4_PATH} it is R4 (CONTRACT §7) when that flavour is on, else STU3.
 */
public final class RequestPreparation implements Processor {

    static final String CERTIFICATE_SUBJECT = "registryCertificateSubject";
    static final String QUERY = "registryQuery";

    // Request ids end up in logs and the audit trail: printable, short, no separators a log parser trips on.
    private static final Pattern SAFE_REQUEST_ID = Pattern.compile("[A-Za-z0-9._:@\\-]{1,128}");

    /** Where the R4 flavour is served, below the listener's /fhir: [base-r4] is by default [base]/R4. */
    public static final String R4_PATH = "/R4";

    private final int maxCorrelationIdLength;
    private final boolean r4Enabled;

    /**
     * @param maxCorrelationIdLength registry.http.max-correlation-id-length: the most of a replaced id echoed back
     * @param r4Enabled whether the R4 flavour is served; if not, a path below {@value #R4_PATH} is one
     *     the registry does not serve (404)
     */
    public RequestPreparation(int maxCorrelationIdLength, boolean r4Enabled) {
        this.maxCorrelationIdLength = maxCorrelationIdLength;
        this.r4Enabled = r4Enabled;
    }

    @Override
    public void process(Exchange exchange) {
        String clientId = HttpExchange.header(exchange, "X-Request-Id");
        String requestId = clientId;
        if (clientId == null || !SAFE_REQUEST_ID.matcher(clientId).matches()) {
            requestId = RequestIds.assign();
            if (clientId != null) {
                // Echoed so the client can match the answer, but bounded: a client's 10 KB header
                // is not the registry's to send back in full.
                exchange.setProperty(RegistryExchange.CORRELATION_ID, clientId.length() > maxCorrelationIdLength
                        ? clientId.substring(0, maxCorrelationIdLength) : clientId);
            }
        }
        RequestIds.adopt(exchange, requestId);
        exchange.setProperty(CERTIFICATE_SUBJECT, HttpExchange.clientCertificateSubject(exchange));

        String method = exchange.getIn().getHeader(Exchange.HTTP_METHOD, String.class);
        String path = exchange.getIn().getHeader(Exchange.HTTP_PATH, String.class);
        QueryString query = QueryString.parse(exchange.getIn().getHeader(Exchange.HTTP_QUERY, String.class));
        exchange.setProperty(QUERY, query);

        // The response format is settled first so that even a 404 or 405 is answered as asked.
        String contentType = HttpExchange.header(exchange, "Content-Type");
        FhirFormat bodyFormat = contentType == null ? null : FhirFormat.named(contentType).orElse(null);
        exchange.setProperty(RegistryExchange.RESPONSE_FORMAT, FhirFormat.JSON);
        exchange.setProperty(RegistryExchange.RESPONSE_FORMAT, ContentNegotiation.responseFormat(
                query.single("_format"), HttpExchange.header(exchange, "Accept"), bodyFormat));

        Flavour flavour = Flavour.STU3;
        if (r4Enabled && path != null && (path.equals(R4_PATH) || path.startsWith(R4_PATH + "/"))) {
            flavour = Flavour.R4;
            path = path.substring(R4_PATH.length());
        }
        exchange.setProperty(RegistryExchange.FLAVOUR, flavour);
        FhirInteraction.Request request = FhirInteraction.of(method, path);
        exchange.setProperty(RegistryExchange.INTERACTION, request.interaction());
        exchange.setProperty(RegistryExchange.APPOINTMENT_ID, request.id());
        exchange.setProperty(RegistryExchange.VERSION_ID, request.versionId());
    }
}
