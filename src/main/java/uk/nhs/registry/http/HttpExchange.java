package uk.nhs.registry.http;

import jakarta.servlet.http.HttpServletRequest;
import java.security.cert.X509Certificate;
import org.apache.camel.Exchange;
import org.apache.camel.http.common.HttpMessage;

/** What the registry reads of the underlying servlet request that Camel's message does not carry. */
final class HttpExchange {

    private HttpExchange() {
    }

    static HttpServletRequest servletRequest(Exchange exchange) {
        // Not exchange.getIn(HttpMessage.class): once a processor has replaced the message, that asks
        // Camel's type converters for a conversion that never exists, and the failed lookup cost ~8 % of
        // all the registry's allocation under load.
        return exchange.getIn() instanceof HttpMessage message ? message.getRequest() : null;
    }

    /** One request header exactly as the client sent it (query parameters cannot pose as one). */
    static String header(Exchange exchange, String name) {
        HttpServletRequest request = servletRequest(exchange);
        if (request != null) {
            return request.getHeader(name);
        }
        Object value = exchange.getIn().getHeader(name);
        return value == null ? null : value.toString();
    }

    static int headerCount(Exchange exchange, String name) {
        HttpServletRequest request = servletRequest(exchange);
        if (request == null) {
            return exchange.getIn().getHeader(name) == null ? 0 : 1;
        }
        int count = 0;
        for (var values = request.getHeaders(name); values.hasMoreElements(); values.nextElement()) {
            count++;
        }
        return count;
    }

    /** The subject of the client certificate that completed the TLS handshake, if any. */
    static String clientCertificateSubject(Exchange exchange) {
        HttpServletRequest request = servletRequest(exchange);
        if (request == null) {
            return null;
        }
        Object chain = request.getAttribute("jakarta.servlet.request.X509Certificate");
        if (chain instanceof X509Certificate[] certificates && certificates.length > 0) {
            return certificates[0].getSubjectX500Principal().getName();
        }
        return null;
    }
}
