package uk.nhs.registry;

import org.apache.camel.Exchange;
import org.apache.camel.support.SynchronizationAdapter;
import org.slf4j.MDC;
import uk.nhs.registry.store.TimeOrderedIds;

/**
 * The request id an exchange is handled under (an HTTP request's X-Request-Id, a feed message's
 * id): kept as an exchange property for the audit trail and responses, and put in the log
 * context so that every line logged while the exchange is handled carries it.
 */
public final class RequestIds {

    /** The log context key: `[%X{requestId}]` in the text format, `mdc.requestId` in JSON. */
    public static final String MDC_KEY = "requestId";

    private RequestIds() {
    }

    /**
     * A request id of the registry's own, for a request that brought none it can use. Time-ordered,
     * because request ids are indexed (audit trail, feed idempotency) and ids of one moment then
     * share the last page of those indexes.
     */
    public static String assign() {
        return TimeOrderedIds.next();
    }

    public static void adopt(Exchange exchange, String requestId) {
        exchange.setProperty(RegistryExchange.REQUEST_ID, requestId);
        MDC.put(MDC_KEY, requestId);
        exchange.getExchangeExtension().addOnCompletion(new MdcCleanup());
    }

    /** Thread pools are reused: the id must not outlive its exchange on the thread. */
    private static final class MdcCleanup extends SynchronizationAdapter {
        @Override
        public void onDone(Exchange exchange) {
            MDC.remove(MDC_KEY);
        }
    }
}
