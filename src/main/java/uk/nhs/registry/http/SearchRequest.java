package uk.nhs.registry.http;

import java.time.Clock;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import uk.nhs.registry.store.AppointmentQuery;

/** Puts the store query a search request asks for into the message body. */
public final class SearchRequest implements Processor {

    private final SearchParameters parameters;
    private final Clock clock;

    public SearchRequest(SearchParameters parameters, Clock clock) {
        this.parameters = parameters;
        this.clock = clock;
    }

    @Override
    public void process(Exchange exchange) {
        AppointmentQuery query = parameters.parse(exchange.getProperty(RequestPreparation.QUERY, QueryString.class), clock.instant());
        exchange.getIn().setBody(query);
    }
}
