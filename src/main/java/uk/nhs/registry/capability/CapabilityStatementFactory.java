package uk.nhs.registry.capability;

import java.util.Date;
import org.hl7.fhir.dstu3.model.CapabilityStatement;
import org.hl7.fhir.dstu3.model.CapabilityStatement.CapabilityStatementKind;
import org.hl7.fhir.dstu3.model.CapabilityStatement.CapabilityStatementRestComponent;
import org.hl7.fhir.dstu3.model.CapabilityStatement.CapabilityStatementRestResourceComponent;
import org.hl7.fhir.dstu3.model.CapabilityStatement.ResourceVersionPolicy;
import org.hl7.fhir.dstu3.model.CapabilityStatement.RestfulCapabilityMode;
import org.hl7.fhir.dstu3.model.CapabilityStatement.TypeRestfulInteraction;
import org.hl7.fhir.dstu3.model.CapabilityStatement.UnknownContentCode;
import org.hl7.fhir.dstu3.model.Enumerations.PublicationStatus;
import org.hl7.fhir.dstu3.model.Enumerations.SearchParamType;
import org.hl7.fhir.dstu3.model.Reference;
import uk.nhs.registry.validation.ProfileValidator;

/** The registry's CapabilityStatement: STU3 3.0.1, both formats, Appointment with what it supports. */
public final class CapabilityStatementFactory {

    private CapabilityStatementFactory() {
    }

    public static CapabilityStatement create(String baseUrl, String softwareVersion) {
        CapabilityStatement statement = new CapabilityStatement();
        statement.setStatus(PublicationStatus.ACTIVE)
                .setDate(new Date())
                .setKind(CapabilityStatementKind.INSTANCE)
                .setFhirVersion("3.0.1")
                .setAcceptUnknown(UnknownContentCode.NO)
                .setPublisher("Appointment Registry")
                .setDescription("National index of booked appointments");
        statement.getSoftware().setName("Appointment Registry").setVersion(softwareVersion);
        statement.getImplementation().setDescription("Appointment Registry").setUrl(baseUrl);
        statement.addFormat("application/fhir+json").addFormat("application/fhir+xml").addFormat("json").addFormat("xml");

        CapabilityStatementRestComponent rest = statement.addRest().setMode(RestfulCapabilityMode.SERVER);
        rest.getSecurity().setDescription("Mutual TLS (TLS 1.2/1.3, client certificate required) and a JWT bearer token"
                + " on every interaction except metadata.");
        CapabilityStatementRestResourceComponent appointment = rest.addResource().setType("Appointment")
                .setProfile(new Reference(ProfileValidator.CARE_CONNECT_APPOINTMENT))
                .setVersioning(ResourceVersionPolicy.VERSIONEDUPDATE)
                .setReadHistory(true)
                .setUpdateCreate(false)
                .setConditionalCreate(false);
        for (TypeRestfulInteraction interaction : new TypeRestfulInteraction[] {TypeRestfulInteraction.CREATE,
                TypeRestfulInteraction.READ, TypeRestfulInteraction.VREAD, TypeRestfulInteraction.HISTORYINSTANCE,
                TypeRestfulInteraction.UPDATE, TypeRestfulInteraction.SEARCHTYPE}) {
            appointment.addInteraction().setCode(interaction);
        }
        appointment.addSearchParam().setName("patient.identifier").setType(SearchParamType.TOKEN)
                .setDocumentation("The patient by NHS number: https://fhir.nhs.uk/Id/nhs-number|{nhsNumber}. Also spelled"
                        + " patient:identifier, actor:Patient.identifier and Appointment.participant.actor:Patient.identifier.");
        appointment.addSearchParam().setName("identifier").setType(SearchParamType.TOKEN)
                .setDocumentation("{system}|{value} of the appointment's identifier at the provider system.");
        appointment.addSearchParam().setName("status").setType(SearchParamType.TOKEN);
        appointment.addSearchParam().setName("date").setType(SearchParamType.DATE)
                .setDocumentation("Appointment start, with eq, ge, gt, le or lt. Without it, past appointments are left out.");
        return statement;
    }
}
