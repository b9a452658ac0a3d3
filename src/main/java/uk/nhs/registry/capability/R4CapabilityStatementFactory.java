package uk.nhs.registry.capability;

import java.util.Date;
import org.hl7.fhir.r4.model.CapabilityStatement;
import org.hl7.fhir.r4.model.CapabilityStatement.CapabilityStatementKind;
import org.hl7.fhir.r4.model.CapabilityStatement.CapabilityStatementRestComponent;
import org.hl7.fhir.r4.model.CapabilityStatement.CapabilityStatementRestResourceComponent;
import org.hl7.fhir.r4.model.CapabilityStatement.ResourceVersionPolicy;
import org.hl7.fhir.r4.model.CapabilityStatement.RestfulCapabilityMode;
import org.hl7.fhir.r4.model.CapabilityStatement.TypeRestfulInteraction;
import org.hl7.fhir.r4.model.Enumerations.FHIRVersion;
import org.hl7.fhir.r4.model.Enumerations.PublicationStatus;
import org.hl7.fhir.r4.model.Enumerations.SearchParamType;

/** The medTech flavour's CapabilityStatement at [base-r4]/metadata (CONTRACT §7): R4 4.0.1, both formats. */
public final class R4CapabilityStatementFactory {

    private R4CapabilityStatementFactory() {
    }

    public static CapabilityStatement create(String baseUrl, String softwareVersion) {
        CapabilityStatement statement = new CapabilityStatement();
        statement.setStatus(PublicationStatus.ACTIVE)
                .setDate(new Date())
                .setKind(CapabilityStatementKind.INSTANCE)
                .setFhirVersion(FHIRVersion._4_0_1)
                .setPublisher("Appointment Registry")
                .setDescription("Appointment registry, medTech flavour (FHIR R4)");
        statement.getSoftware().setName("Appointment Registry").setVersion(softwareVersion);
        statement.getImplementation().setDescription("Appointment Registry (medTech, FHIR R4)").setUrl(baseUrl);
        statement.addFormat("application/fhir+json").addFormat("application/fhir+xml").addFormat("json").addFormat("xml");

        CapabilityStatementRestComponent rest = statement.addRest().setMode(RestfulCapabilityMode.SERVER);
        rest.getSecurity().setDescription("Mutual TLS (TLS 1.2/1.3, client certificate required) and an OAuth2 bearer"
                + " token with the read or write scope on every interaction except metadata.");
        CapabilityStatementRestResourceComponent appointment = rest.addResource().setType("Appointment")
                .setProfile("http://hl7.org/fhir/StructureDefinition/Appointment")
                .setVersioning(ResourceVersionPolicy.VERSIONEDUPDATE)
                .setReadHistory(true)
                .setUpdateCreate(false)
                .setConditionalCreate(false);
        appointment.setDocumentation("Create with status 'proposed' (stored as 'booked'), start, end, a Patient and a"
                + " Practitioner participant; cancel by PUT of the appointment as read with only status changed to"
                + " 'cancelled' (If-Match optional).");
        for (TypeRestfulInteraction interaction : new TypeRestfulInteraction[] {TypeRestfulInteraction.CREATE,
                TypeRestfulInteraction.READ, TypeRestfulInteraction.VREAD, TypeRestfulInteraction.HISTORYINSTANCE,
                TypeRestfulInteraction.UPDATE, TypeRestfulInteraction.SEARCHTYPE}) {
            appointment.addInteraction().setCode(interaction);
        }
        appointment.addSearchParam().setName("patient").setType(SearchParamType.REFERENCE)
                .setDocumentation("Required: Patient/{id} or {id}; also spelled actor=Patient/{id}.");
        appointment.addSearchParam().setName("actor").setType(SearchParamType.REFERENCE)
                .setDocumentation("Patient/{id}: the same as patient.");
        appointment.addSearchParam().setName("practitioner").setType(SearchParamType.REFERENCE);
        appointment.addSearchParam().setName("status").setType(SearchParamType.TOKEN);
        appointment.addSearchParam().setName("date").setType(SearchParamType.DATE)
                .setDocumentation("Appointment start, with eq, ge, gt, le or lt. No implicit date filter.");
        return statement;
    }
}
