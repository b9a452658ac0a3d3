package uk.nhs.registry.http;

import java.util.Date;
import java.util.List;
import java.util.UUID;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;
import org.hl7.fhir.dstu3.model.Bundle;
import org.hl7.fhir.dstu3.model.CodeableConcept;
import org.hl7.fhir.dstu3.model.Coding;
import org.hl7.fhir.dstu3.model.OperationOutcome;
import org.hl7.fhir.dstu3.model.OperationOutcome.IssueSeverity;
import org.hl7.fhir.dstu3.model.OperationOutcome.IssueType;
import org.hl7.fhir.instance.model.api.IBaseResource;
import uk.nhs.registry.RegistryExchange;
import uk.nhs.registry.format.FhirFormat;
import uk.nhs.registry.outcome.SpineCode;
import uk.nhs.registry.store.StoredAppointment;

/**
 * Writes the answer of a successful interaction: status, Location, ETag, Last-Modified, the body
 * the client's `Prefer` asks for, in the negotiated format.
 */
public final class FhirResponseWriter implements Processor {

    private final String baseUrl;

    public FhirResponseWriter(String baseUrl) {
        this.baseUrl = baseUrl;
    }

    @Override
    public void process(Exchange exchange) {
        FhirInteraction interaction = exchange.getProperty(RegistryExchange.INTERACTION, FhirInteraction.class);
        Object body = exchange.getMessage().getBody();
        switch (interaction) {
            case CAPABILITIES -> HttpResponses.start(exchange, 200).setBody(HttpResponses.encode(exchange, (IBaseResource) body));
            case SEARCH -> {
                Bundle bundle = searchset(exchange, body);
                HttpResponses.start(exchange, 200).setBody(HttpResponses.encode(exchange, bundle));
            }
            case HISTORY -> HttpResponses.start(exchange, 200).setBody(HttpResponses.encode(exchange, history(exchange, body)));
            case READ, VREAD -> writeVersion(exchange, 200, (StoredAppointment) body);
            case CREATE, UPDATE -> writeWrite(exchange, interaction, (StoredAppointment) body);
            default -> throw new IllegalStateException("no response for " + interaction);
        }
    }

    private void writeWrite(Exchange exchange, FhirInteraction interaction, StoredAppointment stored) {
        String prefer = HttpExchange.header(exchange, "Prefer");
        int status = interaction == FhirInteraction.CREATE ? 201 : 200;
        Message message = versionHeaders(HttpResponses.start(exchange, status), stored);
        message.setHeader("Location", versionUrl(stored));
        if (prefer != null && prefer.replace(" ", "").contains("return=minimal")) {
            message.setBody("");
        } else if (prefer != null && prefer.replace(" ", "").contains("return=OperationOutcome")) {
            message.setBody(HttpResponses.encode(exchange, written(interaction, stored)));
        } else {
            message.setBody(representation(exchange, stored));
        }
    }

    private void writeVersion(Exchange exchange, int status, StoredAppointment stored) {
        versionHeaders(HttpResponses.start(exchange, status), stored).setBody(representation(exchange, stored));
    }

    static Message versionHeaders(Message message, StoredAppointment stored) {
        message.setHeader("ETag", "W/\"" + stored.version() + "\"");
        message.setHeader("Last-Modified", HttpResponses.httpDate(stored.lastUpdated()));
        return message;
    }

    private static String representation(Exchange exchange, StoredAppointment stored) {
        // The store keeps the JSON it will serve: a JSON read needs no parse and no encode.
        return HttpResponses.format(exchange) == FhirFormat.JSON ? stored.json() : HttpResponses.encode(exchange, stored.resource());
    }

    private Bundle searchset(Exchange exchange, Object body) {
        List<?> matches = (List<?>) body;
        Bundle bundle = new Bundle().setType(Bundle.BundleType.SEARCHSET).setTotal(matches.size());
        bundle.setId(UUID.randomUUID().toString());
        bundle.getMeta().setLastUpdated(new Date());
        QueryString query = exchange.getProperty(RequestPreparation.QUERY, QueryString.class);
        bundle.addLink().setRelation("self").setUrl(baseUrl + "/Appointment" + (query.raw().isEmpty() ? "" : "?" + query.raw()));
        for (Object match : matches) {
            StoredAppointment stored = (StoredAppointment) match;
            bundle.addEntry().setFullUrl(versionUrl(stored)).setResource(stored.resource())
                    .getSearch().setMode(Bundle.SearchEntryMode.MATCH);
        }
        return bundle;
    }

    /** Every version, newest first, as FHIR's history interaction answers (no paging). */
    private Bundle history(Exchange exchange, Object body) {
        List<?> versions = (List<?>) body;
        Bundle bundle = new Bundle().setType(Bundle.BundleType.HISTORY).setTotal(versions.size());
        bundle.setId(UUID.randomUUID().toString());
        bundle.getMeta().setLastUpdated(new Date());
        String id = exchange.getProperty(RegistryExchange.APPOINTMENT_ID, String.class);
        bundle.addLink().setRelation("self").setUrl(baseUrl + "/Appointment/" + id + "/_history");
        for (Object version : versions) {
            StoredAppointment stored = (StoredAppointment) version;
            Bundle.BundleEntryComponent entry = bundle.addEntry().setFullUrl(versionUrl(stored)).setResource(stored.resource());
            entry.getRequest().setMethod(stored.version() == 1 ? Bundle.HTTPVerb.POST : Bundle.HTTPVerb.PUT)
                    .setUrl(stored.version() == 1 ? "Appointment" : "Appointment/" + stored.id());
            entry.getResponse().setStatus(stored.version() == 1 ? "201 Created" : "200 OK")
                    .setEtag("W/\"" + stored.version() + "\"").setLastModified(Date.from(stored.lastUpdated()));
        }
        return bundle;
    }

    private String versionUrl(StoredAppointment stored) {
        return baseUrl + "/Appointment/" + stored.id() + "/_history/" + stored.version();
    }

    private static OperationOutcome written(FhirInteraction interaction, StoredAppointment stored) {
        SpineCode code = interaction == FhirInteraction.CREATE ? SpineCode.RESOURCE_CREATED : SpineCode.RESOURCE_UPDATED;
        OperationOutcome outcome = new OperationOutcome();
        outcome.addIssue().setSeverity(IssueSeverity.INFORMATION).setCode(IssueType.INFORMATIONAL)
                .setDetails(new CodeableConcept().addCoding(new Coding(SpineCode.SYSTEM, code.code(), code.display())))
                .setDiagnostics("Appointment/" + stored.id() + " is now at version " + stored.version() + ".");
        return outcome;
    }
}
