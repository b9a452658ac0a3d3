package uk.nhs.registry.validation;

import org.hl7.fhir.dstu3.model.Appointment;
import uk.nhs.registry.Fhir;

/** Test appointments, parsed from JSON as the HTTP and feed paths would. */
final class Appointments {

    /**
     * The seed page's register example (NHS number 1234554321, which does pass the modulus-11
     * check: weighted sum 164, 164 mod 11 = 10, check digit 1), plus what STU3 itself requires of
     * a booked appointment: an end (app-2/app-3) and a participant status.
     */
    static final String VALID = """
            {
              "resourceType": "Appointment",
              "meta": {"profile": ["https://fhir.hl7.org.uk/STU3/StructureDefinition/CareConnect-Appointment-1"]},
              "identifier": [{"system": "urn:ietf:rfc:3986", "value": "http://test.nhs.uk/test3"}],
              "status": "booked",
              "start": "2030-02-01T10:51:23.620+00:00",
              "end": "2030-02-01T11:10:00.000Z",
              "created": "2030-01-17T14:00:00+00:00",
              "participant": [{
                "actor": {"identifier": {"use": "official", "system": "https://fhir.nhs.uk/Id/nhs-number", "value": "1234554321"}},
                "status": "accepted"
              }]
            }
            """;

    private Appointments() {
    }

    static Appointment valid() {
        return parse(VALID);
    }

    static Appointment parse(String json) {
        return Fhir.context().newJsonParser().parseResource(Appointment.class, json);
    }

    /** As the registry stores it after registration: with an id and a version. */
    static Appointment registered() {
        Appointment a = valid();
        a.setId("b7e99463-00a1-45fc-98aa-02301c103aba");
        a.getMeta().setVersionId("1");
        a.getMeta().getLastUpdatedElement().setValueAsString("2030-01-17T14:00:01.123+00:00");
        return a;
    }
}
