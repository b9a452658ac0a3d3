package uk.nhs.registry.ingest;

import java.util.Optional;
import java.util.function.BiFunction;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import uk.nhs.registry.RegistryExchange;
import uk.nhs.registry.security.Caller;
import uk.nhs.registry.store.StoredAppointment;
import uk.nhs.registry.store.WritesByRequest;

/**
 * Recognises a redelivered message whose write was already committed (the transport lost the
 * acknowledgement, or the registry stopped between the database commit and the transport's): the
 * write recorded the message id in the same transaction, so finding it means "applied". The
 * message is then answered with the version it wrote, and nothing is written again.
 */
public final class AlreadyApplied implements Processor {

    private static final Logger LOG = LoggerFactory.getLogger(AlreadyApplied.class);

    private final BiFunction<String, String, Optional<StoredAppointment>> writes;

    AlreadyApplied(WritesByRequest writes) {
        this(writes::find);
    }

    /** @param writes the version a (source, request id) already wrote: the database's answer, or a test's */
    AlreadyApplied(BiFunction<String, String, Optional<StoredAppointment>> writes) {
        this.writes = writes;
    }

    @Override
    public void process(Exchange exchange) {
        Optional<StoredAppointment> applied = find(exchange);
        exchange.setProperty(IngestExchange.ALREADY_APPLIED, applied.isPresent());
        applied.ifPresent(stored -> {
            LOG.info("Feed message already applied as Appointment/{}/_history/{}; not written again",
                    stored.id(), stored.version());
            exchange.getIn().setBody(stored);
        });
    }

    Optional<StoredAppointment> find(Exchange exchange) {
        Caller caller = exchange.getProperty(RegistryExchange.CALLER, Caller.class);
        String requestId = exchange.getProperty(RegistryExchange.REQUEST_ID, String.class);
        if (caller == null || requestId == null) {
            return Optional.empty();
        }
        return writes.apply(caller.source(), requestId);
    }
}
