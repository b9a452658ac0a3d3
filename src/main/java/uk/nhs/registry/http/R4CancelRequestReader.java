package uk.nhs.registry.http;

import java.io.IOException;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.hl7.fhir.dstu3.model.OperationOutcome.IssueType;
import org.hl7.fhir.r4.model.Appointment;
import uk.nhs.registry.RegistryExchange;
import uk.nhs.registry.outcome.BadRequestException;
import uk.nhs.registry.outcome.SpineCode;

/**
 * The HTTP side of a medTech cancel (CONTRACT §7): If-Match is optional (the IG does not ask for
 * it), checked like STU3's when sent; the body must name the same appointment as the URL.
 */
public final class R4CancelRequestReader implements Processor {

    private final AppointmentBodyReader bodyReader;

    public R4CancelRequestReader(AppointmentBodyReader bodyReader) {
        this.bodyReader = bodyReader;
    }

    @Override
    public void process(Exchange exchange) throws IOException {
        exchange.setProperty(RegistryExchange.EXPECTED_VERSION, IfMatch.optionalVersion(HttpExchange.header(exchange, "If-Match")));
        bodyReader.process(exchange);
        Appointment appointment = exchange.getIn().getBody(Appointment.class);
        String urlId = exchange.getProperty(RegistryExchange.APPOINTMENT_ID, String.class);
        String bodyId = appointment.hasIdElement() ? appointment.getIdElement().getIdPart() : null;
        if (bodyId == null) {
            throw new BadRequestException(IssueType.REQUIRED, SpineCode.BAD_REQUEST,
                    "The Appointment in the body has no id; send it as read, with id " + urlId + ".");
        }
        if (!bodyId.equals(urlId)) {
            throw new BadRequestException(IssueType.INVALID, SpineCode.BAD_REQUEST,
                    "The body's id '" + bodyId + "' differs from the id in the URL '" + urlId + "'.");
        }
    }
}
