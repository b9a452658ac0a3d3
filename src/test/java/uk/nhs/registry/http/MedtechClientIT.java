package uk.nhs.registry.http;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.api.MethodOutcome;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.client.interceptor.BearerTokenAuthInterceptor;
import javax.net.ssl.SSLContext;
import org.apache.http.impl.client.CloseableHttpClient;
import org.apache.http.impl.client.HttpClients;
import org.hl7.fhir.r4.model.Appointment;
import org.hl7.fhir.r4.model.Appointment.AppointmentStatus;
import org.hl7.fhir.r4.model.Bundle;
import org.junit.jupiter.api.Test;
import uk.nhs.registry.testsupport.MedtechExamples;
import uk.nhs.registry.testsupport.RunningRegistry;
import uk.nhs.registry.testsupport.SharedRegistry;
import uk.nhs.registry.testsupport.TestCertificates;

/**
 * The medTech IG's example appointment, unmodified, through create, find and cancel with HAPI's own
 * R4 generic client, as a practice system would use it: the dev client certificate for mutual TLS
 * and a bearer token from an interceptor (CONTRACT §7).
 */
class MedtechClientIT {

    private final RunningRegistry registry = SharedRegistry.get();

    private IGenericClient client(CloseableHttpClient http) {
        // A context of the client's own: the registry's shared R4 context is left as it is.
        FhirContext ctx = FhirContext.forR4();
        ctx.getRestfulClientFactory().setHttpClient(http);
        IGenericClient client = ctx.newRestfulGenericClient(registry.baseUrl() + "/R4");
        client.registerInterceptor(new BearerTokenAuthInterceptor(registry.token()));
        return client;
    }

    @Test
    void theIgExampleIsCreatedFoundAndCancelled() throws Exception {
        SSLContext tls = TestCertificates.clientContext(registry.dev().clientKeystore(), registry.dev().password(),
                registry.dev().truststore(), registry.dev().password());
        try (CloseableHttpClient http = HttpClients.custom().setSSLContext(tls).build()) {
            IGenericClient client = client(http);
            Appointment example = MedtechExamples.igExample();

            MethodOutcome created = client.create().resource(example).execute();
            assertThat(created.getCreated()).isTrue();
            String id = created.getId().getIdPart();
            assertThat(created.getId().getVersionIdPart()).isEqualTo("1");
            assertThat(((Appointment) created.getResource()).getStatus()).isEqualTo(AppointmentStatus.BOOKED);

            Bundle found = client.search().forResource(Appointment.class)
                    .where(Appointment.PATIENT.hasId("Patient/example-patient"))
                    .returnBundle(Bundle.class).execute();
            Appointment read = found.getEntry().stream().map(e -> (Appointment) e.getResource())
                    .filter(a -> a.getIdElement().getIdPart().equals(id)).findFirst().orElseThrow();
            assertThat(read.getStatus()).isEqualTo(AppointmentStatus.BOOKED);
            assertThat(read.getSlotFirstRep().getReference()).isEqualTo("Slot/example-slot");

            read.setStatus(AppointmentStatus.CANCELLED);
            MethodOutcome cancelled = client.update().resource(read).execute();
            assertThat(cancelled.getId().getVersionIdPart()).isEqualTo("2");

            Appointment after = client.read().resource(Appointment.class).withId(id).execute();
            assertThat(after.getStatus()).isEqualTo(AppointmentStatus.CANCELLED);
            assertThat(after.getMeta().getVersionId()).isEqualTo("2");
        }
    }
}
