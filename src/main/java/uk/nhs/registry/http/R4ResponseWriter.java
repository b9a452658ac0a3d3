package uk.nhs.registry.http;

import java.util.Date;
import java.util.List;
import java.util.UUID;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.OperationOutcome.IssueSeverity;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;
import uk.nhs.registry.RegistryExchange;
import uk.nhs.registry.format.FhirFormat;
import uk.nhs.registry.store.R4Appointment;
import uk.nhs.registry.store.StoredAppointment;

/**
 * Writes the answer of a successful medTech (R4) interaction, as {@link FhirResponseWriter} does
 * for STU3: status, Location and fullUrls under [base-r4], ETag, Last-Modified, the body `Prefer`
 * asks for, R4 Bundles and OperationOutcomes.
 */
public final class R4ResponseWriter implements Processor {

    private final String baseUrl;

    /** @param baseUrl [base-r4], the absolute root of the R4 flavour */
    public R4ResponseWriter(String baseUrl) {
        this.baseUrl = baseUrl;
    }

    @Override
    public void process(Exchange exchange) {
        FhirInteraction interaction = exchange.getProperty(RegistryExchange.INTERACTION, FhirInteraction.class);
        Object body = exchange.getMessage().getBody();
        switch (interaction) {
            case CAPABILITIES -> HttpResponses.start(exchange, 200).setBody(HttpResponses.encode(exchange, (IBaseResource) body));
            case SEARCH -> HttpResponses.start(exchange, 200).setBody(HttpResponses.encode(exchange, searchset(exchange, body)));
            case HISTORY -> HttpResponses.start(exchange, 200).setBody(HttpResponses.encode(exchange, history(exchange, body)));
            case READ, VREAD -> FhirResponseWriter.versionHeaders(HttpResponses.start(exchange, 200), (StoredAppointment) body)
                    .setBody(representation(exchange, (StoredAppointment) body));
            case CREATE, UPDATE -> writeWrite(exchange, interaction, (StoredAppointment) body);
            default -> throw new IllegalStateException("no response for " + interaction);
        }
    }

    private void writeWrite(Exchange exchange, FhirInteraction interaction, StoredAppointment stored) {
        String prefer = HttpExchange.header(exchange, "Prefer");
        int status = interaction == FhirInteraction.CREATE ? 201 : 200;
        Message message = FhirResponseWriter.versionHeaders(HttpResponses.start(exchange, status), stored);
        message.setHeader("Location", versionUrl(stored));
        if (prefer != null && prefer.replace(" ", "").contains("return=minimal")) {
            message.setBody("");
        } else if (prefer != null && prefer.replace(" ", "").contains("return=OperationOutcome")) {
            OperationOutcome outcome = new OperationOutcome();
            outcome.addIssue().setSeverity(IssueSeverity.INFORMATION).setCode(IssueType.INFORMATIONAL)
                    .setDiagnostics("Appointment/" + stored.id() + " is now at version " + stored.version() + ".");
            message.setBody(HttpResponses.encode(exchange, outcome));
        } else {
            message.setBody(representation(exchange, stored));
        }
    }

    private static String representation(Exchange exchange, StoredAppointment stored) {
        // The store keeps the JSON it will serve: a JSON read needs no parse and no encode.
        return HttpResponses.format(exchange) == FhirFormat.JSON ? stored.json()
                : HttpResponses.encode(exchange, R4Appointment.resourceOf(stored));
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
            bundle.addEntry().setFullUrl(versionUrl(stored)).setResource(R4Appointment.resourceOf(stored))
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
            Bundle.BundleEntryComponent entry = bundle.addEntry().setFullUrl(versionUrl(stored))
                    .setResource(R4Appointment.resourceOf(stored));
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
}
