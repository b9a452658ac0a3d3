package uk.nhs.registry.http;

import java.io.IOException;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.hl7.fhir.dstu3.model.OperationOutcome.IssueType;
import org.hl7.fhir.instance.model.api.IBaseResource;
import uk.nhs.registry.RegistryExchange;
import uk.nhs.registry.outcome.BadRequestException;
import uk.nhs.registry.outcome.SpineCode;

/**
 * The HTTP side of a cancel, in either flavour: the version it replaces comes from If-Match and is
 * checked before anything else; the body must name the same appointment as the URL. NHS (STU3)
 * requires If-Match; the medTech IG (R4) does not ask for it, so there it is checked only when sent.
 */
public final class CancelRequestReader implements Processor {

    private final AppointmentBodyReader bodyReader;
    private final boolean ifMatchRequired;

    private CancelRequestReader(AppointmentBodyReader bodyReader, boolean ifMatchRequired) {
        this.bodyReader = bodyReader;
        this.ifMatchRequired = ifMatchRequired;
    }

    /** STU3 (CONTRACT §1): no If-Match is a 412. */
    public static CancelRequestReader ifMatchRequired(AppointmentBodyReader bodyReader) {
        return new CancelRequestReader(bodyReader, true);
    }

    /** medTech (CONTRACT §7): If-Match optional. */
    public static CancelRequestReader ifMatchOptional(AppointmentBodyReader bodyReader) {
        return new CancelRequestReader(bodyReader, false);
    }

    @Override
    public void process(Exchange exchange) throws IOException {
        String ifMatch = HttpExchange.header(exchange, "If-Match");
        // Not one conditional expression: it would unbox the optional version, and a cancel without
        // If-Match would fail on null.
        Integer expected;
        if (ifMatchRequired) {
            expected = IfMatch.expectedVersion(ifMatch);
        } else {
            expected = IfMatch.optionalVersion(ifMatch);
        }
        exchange.setProperty(RegistryExchange.EXPECTED_VERSION, expected);
        bodyReader.process(exchange);
        IBaseResource appointment = exchange.getIn().getBody(IBaseResource.class);
        String urlId = exchange.getProperty(RegistryExchange.APPOINTMENT_ID, String.class);
        String bodyId = appointment.getIdElement().isEmpty() ? null : appointment.getIdElement().getIdPart();
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
