package uk.nhs.registry.ingest;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.hl7.fhir.dstu3.model.OperationOutcome.IssueType;
import uk.nhs.registry.outcome.Issue;
import uk.nhs.registry.outcome.SpineCode;
import uk.nhs.registry.outcome.UnprocessableEntityException;

/**
 * Rejects a feed message that is neither a registration (status booked) nor a cancellation
 * (status cancelled with id and meta.versionId), saying what it lacks. A booked Appointment never
 * comes here: whatever is wrong with it (an id included) is for the registration rules to say.
 */
public final class UnroutableMessage implements Processor {

    static final String STATUS = "registryIngestStatus";
    static final String ID = "registryIngestId";
    static final String VERSION = "registryIngestVersion";

    private static final String SHAPES = " A feed message is either a registration (status 'booked', no id) or a"
            + " cancellation (status 'cancelled' with the id and meta.versionId of the version it replaces).";

    @Override
    public void process(Exchange exchange) {
        String status = text(exchange, STATUS);
        String id = text(exchange, ID);
        String version = text(exchange, VERSION);
        throw new UnprocessableEntityException(java.util.List.of(issue(status, id, version)));
    }

    private static Issue issue(String status, String id, String version) {
        if ("cancelled".equals(status) && id == null) {
            return new Issue(IssueType.REQUIRED, SpineCode.INVALID_RESOURCE,
                    "A cancellation needs the id of the appointment it cancels." + SHAPES, "Appointment.id");
        }
        if ("cancelled".equals(status)) {
            return new Issue(IssueType.REQUIRED, SpineCode.INVALID_RESOURCE, "A cancellation needs meta.versionId, the"
                    + " version it replaces, as a number; got " + (version == null ? "none" : "'" + version + "'") + "."
                    + SHAPES, "Appointment.meta.versionId");
        }
        return new Issue(IssueType.BUSINESSRULE, SpineCode.INVALID_RESOURCE, "Appointment.status must be 'booked' or"
                + " 'cancelled' on a feed; got " + (status == null ? "no status" : "'" + status + "'") + "." + SHAPES,
                "Appointment.status");
    }

    private static String text(Exchange exchange, String property) {
        String value = exchange.getProperty(property, String.class);
        return value == null || value.isBlank() ? null : value;
    }
}
