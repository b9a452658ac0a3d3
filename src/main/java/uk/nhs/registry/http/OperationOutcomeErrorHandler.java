package uk.nhs.registry.http;

import uk.nhs.registry.RequestIds;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import uk.nhs.registry.format.FhirFormat;
import uk.nhs.registry.outcome.Rejection;

/**
 * Jetty's answer to what it refuses before Camel sees a request (headers too large → 431, an
 * ambiguous or malformed URI → 400, a request that never completed → 408, ...): an OperationOutcome
 * in JSON like every other failure, instead of Jetty's HTML page. The status stays Jetty's; the
 * text comes from {@link Rejection#ofHttpStatus}. Such a request has no registry request id yet,
 * so one is assigned here for the answer and the log line.
 */
public final class OperationOutcomeErrorHandler extends ErrorHandler {

    private static final Logger LOG = LoggerFactory.getLogger(OperationOutcomeErrorHandler.class);
    private static final String CONTENT_TYPE = FhirFormat.JSON.contentType();
    // camel-jetty's own handler turns a timed-out continuation into a 504; kept so nothing changes there.
    private static final String CAMEL_TIMEOUT = "CamelTimeoutException";

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        int status = response.getStatus();
        if (Boolean.TRUE.equals(request.getAttribute(CAMEL_TIMEOUT))) {
            status = 504;
        }
        Rejection rejection = Rejection.ofHttpStatus(status);
        String requestId = RequestIds.assign();
        log(rejection, requestId);
        response.setStatus(rejection.status());
        HttpFields.Mutable headers = response.getHeaders();
        headers.put(HttpHeader.CONTENT_TYPE, CONTENT_TYPE);
        headers.put(HttpHeader.CACHE_CONTROL, "no-store");
        headers.put("X-Request-Id", requestId);
        response.write(true, ByteBuffer.wrap(body(rejection)), callback);
        return true;
    }

    /** The answer to a request the HTTP parser could not read at all (e.g. 431 from the header parser). */
    @Override
    public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
        Rejection rejection = Rejection.ofHttpStatus(status);
        String requestId = RequestIds.assign();
        log(rejection, requestId);
        fields.put(HttpHeader.CONTENT_TYPE, CONTENT_TYPE);
        fields.put(HttpHeader.CACHE_CONTROL, "no-store");
        fields.put("X-Request-Id", requestId);
        return ByteBuffer.wrap(body(rejection));
    }

    private static byte[] body(Rejection rejection) {
        return FhirFormat.JSON.newParser().encodeResourceToString(rejection.outcome()).getBytes(StandardCharsets.UTF_8);
    }

    private static void log(Rejection rejection, String requestId) {
        MDC.put(RequestIds.MDC_KEY, requestId);
        try {
            LOG.info("HTTP server answered {} {} before the request reached the registry", rejection.status(),
                    rejection.spineCode().code());
        } finally {
            MDC.remove(RequestIds.MDC_KEY);
        }
    }
}
