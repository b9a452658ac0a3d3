package uk.nhs.registry.ingest;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.hl7.fhir.dstu3.model.OperationOutcome.IssueType;
import uk.nhs.registry.RegistryExchange;
import uk.nhs.registry.RequestIds;
import uk.nhs.registry.format.AppointmentParser;
import uk.nhs.registry.format.FhirFormat;
import uk.nhs.registry.format.StrictUtf8;
import uk.nhs.registry.outcome.BadRequestException;
import uk.nhs.registry.outcome.PayloadTooLargeException;
import uk.nhs.registry.outcome.SpineCode;
import uk.nhs.registry.security.Caller;

/**
 * First step of every feed message: who it is recorded against (the feed's name and the message
 * id), the payload as it arrived (kept for the dead-letter endpoint), and the payload read by the
 * same {@link AppointmentParser} as the HTTP API, so an unreadable message is judged as an
 * unreadable request body would be. The body stays the payload text, for content-based routing.
 */
public final class FeedMessageReader implements Processor {

    private final AppointmentParser parser;
    private final FeedMessageId messageId;
    private final Caller caller;
    private final long maxPayloadBytes;

    FeedMessageReader(AppointmentParser parser, FeedMessageId messageId, String sourceName, long maxPayloadBytes) {
        this.parser = parser;
        this.messageId = messageId;
        this.caller = Caller.feed(sourceName);
        this.maxPayloadBytes = maxPayloadBytes;
    }

    @Override
    public void process(Exchange exchange) {
        String requestId = messageId.of(exchange);
        RequestIds.adopt(exchange, requestId);
        exchange.setProperty(RegistryExchange.CALLER, caller);

        Object body = exchange.getIn().getBody();
        Object original = body instanceof String ? body : exchange.getIn().getBody(byte[].class);
        exchange.setProperty(IngestExchange.ORIGINAL_PAYLOAD, original);
        String payload = original instanceof String text ? text : utf8((byte[]) original);
        if (payload.length() > maxPayloadBytes) {
            throw new PayloadTooLargeException(IssueType.TOOCOSTLY, SpineCode.BAD_REQUEST,
                    "The message is larger than the registry accepts (" + maxPayloadBytes + " bytes).");
        }
        if (payload.isBlank()) {
            throw new BadRequestException(IssueType.REQUIRED, SpineCode.INVALID_REQUEST_MESSAGE,
                    "The message is empty; send one Appointment.");
        }
        FhirFormat format = format(exchange, payload);
        exchange.setProperty(RegistryExchange.REQUEST_FORMAT, format);
        exchange.setProperty(IngestExchange.APPOINTMENT, parser.parse(payload, format));
        exchange.getIn().setBody(payload);
    }

    /** A content type naming a FHIR format decides; otherwise the payload's first character. */
    private static FhirFormat format(Exchange exchange, String payload) {
        String contentType = exchange.getIn().getHeader(Exchange.CONTENT_TYPE, String.class);
        return FhirFormat.named(contentType).or(() -> FhirFormat.sniff(payload)).orElseThrow(() ->
                new BadRequestException(IssueType.STRUCTURE, SpineCode.MESSAGE_NOT_WELL_FORMED,
                        "The message is neither FHIR JSON nor FHIR XML; send one Appointment."));
    }

    private String utf8(byte[] bytes) {
        if (bytes == null) {
            return "";
        }
        if (bytes.length > maxPayloadBytes) {
            throw new PayloadTooLargeException(IssueType.TOOCOSTLY, SpineCode.BAD_REQUEST,
                    "The message is larger than the registry accepts (" + maxPayloadBytes + " bytes).");
        }
        return StrictUtf8.decode(bytes);
    }
}
