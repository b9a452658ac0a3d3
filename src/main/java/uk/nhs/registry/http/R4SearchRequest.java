package uk.nhs.registry.http;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;

/** Puts the medTech search a request asks for ({@link R4SearchParameters}) into the message body. */
public final class R4SearchRequest implements Processor {

    private final R4SearchParameters parameters;

    public R4SearchRequest(R4SearchParameters parameters) {
        this.parameters = parameters;
    }

    @Override
    public void process(Exchange exchange) {
        exchange.getIn().setBody(parameters.parse(exchange.getProperty(RequestPreparation.QUERY, QueryString.class)));
    }
}
