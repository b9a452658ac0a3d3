package uk.nhs.registry.http;

import java.util.Locale;
import java.util.Set;
import org.apache.camel.Exchange;
import org.apache.camel.support.DefaultHeaderFilterStrategy;

/**
 * Only the headers the registry means to send leave it: nothing a client sent (its Authorization
 * header above all) is echoed back, whatever a route does with the message headers.
 */
public final class ResponseHeaderPolicy extends DefaultHeaderFilterStrategy {

    private static final Set<String> ALLOWED = Set.of("location", "etag", "last-modified", "cache-control",
            "x-request-id", "x-correlation-id", "allow", "content-location");

    public ResponseHeaderPolicy() {
        setInFilterStartsWith(CAMEL_FILTER_STARTS_WITH);
        setLowerCase(true);
    }

    @Override
    public boolean applyFilterToCamelHeaders(String headerName, Object headerValue, Exchange exchange) {
        return !ALLOWED.contains(headerName.toLowerCase(Locale.ROOT));
    }
}
