package uk.nhs.registry.validation;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Consumer;
import org.hl7.fhir.dstu3.model.Appointment;
import org.hl7.fhir.dstu3.model.Appointment.AppointmentStatus;
import org.hl7.fhir.dstu3.model.Appointment.ParticipantRequired;
import org.hl7.fhir.dstu3.model.Appointment.ParticipationStatus;
import org.hl7.fhir.dstu3.model.CodeType;
import org.hl7.fhir.dstu3.model.CodeableConcept;
import org.hl7.fhir.dstu3.model.Coding;
import org.hl7.fhir.dstu3.model.DateTimeType;
import org.hl7.fhir.dstu3.model.Extension;
import org.hl7.fhir.dstu3.model.Identifier;
import org.hl7.fhir.dstu3.model.Narrative;
import org.hl7.fhir.dstu3.model.Period;
import org.hl7.fhir.dstu3.model.PositiveIntType;
import org.hl7.fhir.dstu3.model.Reference;
import org.hl7.fhir.dstu3.model.StringType;
import org.hl7.fhir.dstu3.model.UnsignedIntType;

/**
 * Generated Appointments, valid and invalid, for comparing validators: the seed page's example
 * with up to four changes drawn from a list of what providers send and what they get wrong
 * (invariants, cardinalities, value ranges, codes, extensions, profiles named in meta). The same
 * seed always gives the same corpus, so a difference found once can be found again.
 */
final class AppointmentCorpus {

    static final String GP_CONNECT_APPOINTMENT = "https://fhir.nhs.uk/STU3/StructureDefinition/GPConnect-Appointment-1";
    private static final String DELIVERY_CHANNEL =
            "https://fhir.nhs.uk/STU3/StructureDefinition/Extension-GPConnect-DeliveryChannel-2";
    private static final String BOOKING_ORGANISATION =
            "https://fhir.nhs.uk/STU3/StructureDefinition/Extension-GPConnect-BookingOrganisation-1";

    /** Each change alone; several together make the combinations. */
    private static final List<Consumer<Appointment>> CHANGES = List.of(
            a -> a.getMeta().setProfile(new ArrayList<>()),
            a -> a.getMeta().addProfile(GP_CONNECT_APPOINTMENT),
            a -> a.getMeta().addProfile("https://example.org/StructureDefinition/unknown-profile"),
            // The edges of CoreDefinitions: a core profile of another resource type, a reference to a
            // resource type whose definition the registry does not keep, core terminology and extensions.
            a -> a.getMeta().addProfile("http://hl7.org/fhir/StructureDefinition/vitalsigns"),
            a -> a.addParticipant().setActor(new Reference("Observation/1")).setStatus(ParticipationStatus.ACCEPTED),
            a -> a.addReason(new CodeableConcept(new Coding("http://hl7.org/fhir/v3/ActReason", "NOT-A-CODE", null))),
            a -> a.addExtension(new Extension("http://hl7.org/fhir/StructureDefinition/data-absent-reason",
                    new StringType("unknown"))),
            a -> a.setEndElement(null),
            a -> a.setStartElement(null),
            a -> a.getParticipantFirstRep().setStatus(null),
            a -> a.addParticipant().setActor(new Reference("Practitioner/123")).setStatus(ParticipationStatus.ACCEPTED),
            a -> a.addParticipant().setStatus(ParticipationStatus.ACCEPTED),
            a -> a.addParticipant().setActor(new Reference("https://demographics.spineservices.nhs.uk/Patient/9434765919"))
                    .setStatus(ParticipationStatus.TENTATIVE).setRequired(ParticipantRequired.REQUIRED),
            a -> a.getParticipantFirstRep().addType(new CodeableConcept(
                    new Coding("http://hl7.org/fhir/v3/ParticipationType", "ATND", "attender"))),
            a -> a.getParticipantFirstRep().addType(new CodeableConcept(
                    new Coding("http://hl7.org/fhir/v3/ParticipationType", "NOT-A-CODE", null))),
            a -> a.setPriorityElement(new UnsignedIntType(5)),
            a -> a.setPriorityElement(new UnsignedIntType(-1)),
            a -> a.setMinutesDurationElement(new PositiveIntType(30)),
            a -> a.setMinutesDurationElement(new PositiveIntType(0)),
            a -> a.addServiceType(new CodeableConcept(new Coding("http://snomed.info/sct", "394814009", "General practice"))),
            a -> a.setAppointmentType(new CodeableConcept(new Coding("http://hl7.org/fhir/v2/0276", "ROUTINE", null))),
            a -> a.setAppointmentType(new CodeableConcept(new Coding("http://hl7.org/fhir/v2/0276", "NONSENSE", null))),
            a -> a.addSpecialty(new CodeableConcept().setText("Cardiology")),
            a -> a.addReason(new CodeableConcept().setText("Follow-up")),
            a -> a.setComment("Please arrive 10 minutes early"),
            a -> a.addRequestedPeriod(new Period().setStartElement(new DateTimeType("2030-02-01T09:00:00+00:00"))
                    .setEndElement(new DateTimeType("2030-02-01T12:00:00+00:00"))),
            a -> a.addRequestedPeriod(new Period().setStartElement(new DateTimeType("2030-02-02T09:00:00+00:00"))
                    .setEndElement(new DateTimeType("2030-02-01T12:00:00+00:00"))),
            a -> a.getIdentifierFirstRep().setPeriod(new Period().setStartElement(new DateTimeType("2031-01-01"))
                    .setEndElement(new DateTimeType("2030-01-01"))),
            a -> a.addIdentifier(new Identifier().setSystem("https://provider.example.nhs.uk/appointments").setValue("A-77")),
            a -> a.addIdentifier(new Identifier().setValue("no-system")),
            a -> a.addIdentifier(new Identifier().setSystem("urn:ietf:rfc:3986")),
            a -> a.addExtension(new Extension(DELIVERY_CHANNEL, new CodeType("In-person"))),
            a -> a.addExtension(new Extension(DELIVERY_CHANNEL, new CodeType("Carrier pigeon"))),
            a -> a.addExtension(new Extension(BOOKING_ORGANISATION, new Reference("#org1"))),
            a -> a.addExtension(new Extension("https://provider.example.org/fhir/ext/room", new StringType("12B"))),
            a -> a.addExtension(new Extension("https://provider.example.org/fhir/ext/empty")),
            a -> a.addIncomingReferral(new Reference("ReferralRequest/9")),
            a -> a.setStatus(AppointmentStatus.PROPOSED),
            a -> a.setStatus(AppointmentStatus.CANCELLED),
            a -> a.setStatus(AppointmentStatus.PENDING).setEndElement(null).setStartElement(null),
            a -> a.setLanguage("en-GB"),
            a -> a.setText(narrative("<div xmlns=\"http://www.w3.org/1999/xhtml\">An appointment</div>")),
            a -> a.setText(narrative("<div xmlns=\"http://www.w3.org/1999/xhtml\"><script>alert(1)</script></div>")),
            a -> a.setId("registered-42"),
            a -> a.getMeta().setVersionId("3"),
            a -> a.getParticipantFirstRep().getActor().getIdentifier().setValue("9434765919"),
            a -> a.getParticipantFirstRep().getActor().getIdentifier().setSystem("https://fhir.nhs.uk/Id/local"),
            a -> a.getParticipantFirstRep().getActor().setDisplay("Jane Smith"));

    private AppointmentCorpus() {
    }

    private static Narrative narrative(String div) {
        Narrative n = new Narrative().setStatus(Narrative.NarrativeStatus.GENERATED);
        n.setDivAsString(div);
        return n;
    }

    /** {@code size} appointments: every tenth unchanged, the rest with one to four changes. */
    static List<Appointment> generate(long seed, int size) {
        Random random = new Random(seed);
        List<Appointment> corpus = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            Appointment a = Appointments.valid();
            a.getIdentifierFirstRep().setValue("urn:corpus:" + i);
            int changes = i % 10 == 0 ? 0 : 1 + random.nextInt(4);
            for (int c = 0; c < changes; c++) {
                CHANGES.get(random.nextInt(CHANGES.size())).accept(a);
            }
            corpus.add(a);
        }
        return corpus;
    }
}
