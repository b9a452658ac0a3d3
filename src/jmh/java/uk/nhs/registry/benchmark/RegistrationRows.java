package uk.nhs.registry.benchmark;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.hl7.fhir.dstu3.model.Appointment;
import org.hl7.fhir.dstu3.model.CodeableConcept;
import org.hl7.fhir.dstu3.model.Coding;
import org.hl7.fhir.dstu3.model.IdType;
import org.hl7.fhir.dstu3.model.Identifier;
import org.hl7.fhir.dstu3.model.InstantType;
import org.hl7.fhir.dstu3.model.Reference;
import uk.nhs.registry.Fhir;
import uk.nhs.registry.store.TimeOrderedIds;

/**
 * The rows one registration writes, with the statements AppointmentStore.register and AuditTrail.insert use:
 * the current row, one identifier row, the first version and the audit event, in one transaction. The resource
 * is a realistic GP appointment as the registry stores it (with id and meta), ~1.5 KB of JSON, encoded once by
 * HAPI; each registration changes its id, identifier and patient, so that no two rows are the same.
 */
final class RegistrationRows {

    static final String INSERT_CURRENT = "INSERT INTO appointment (id, version, status, nhs_number, start_millis, last_updated, resource)"
            + " VALUES (?, ?, ?, ?, ?, ?, ?)";
    static final String INSERT_IDENTIFIER = "INSERT INTO appointment_identifier (id_system, id_value, appointment_id) VALUES (?, ?, ?)";
    static final String INSERT_VERSION = "INSERT INTO appointment_version (id, version, status, last_updated, resource, request_id,"
            + " actor_issuer, actor_subject, actor_organisation, actor_certificate, actor_source)"
            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
    static final String INSERT_AUDIT = "INSERT INTO audit_event (event_id, recorded_at, request_id, interaction, appointment_id,"
            + " appointment_version, outcome_status, spine_code, token_issuer, token_subject,"
            + " token_organisation, certificate_subject, source)"
            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
    /** The registry's search by patient (SearchSql with only the NHS number given). */
    static final String SEARCH_BY_PATIENT = "SELECT a.id, a.version, a.last_updated, a.status, a.resource FROM appointment a"
            + " WHERE 1 = 1 AND a.nhs_number = ? ORDER BY a.start_millis NULLS LAST, a.id";

    static final String IDENTIFIER_SYSTEM = "urn:ietf:rfc:3986";
    private static final String ISSUER = "urn:appointment-registry:dev-issuer";
    private static final String SUBJECT = "https://fhir.nhs.uk/Id/sds-role-profile-id|100000000001";
    private static final String ORGANISATION = "https://fhir.nhs.uk/Id/ods-organization-code|A81001";
    private static final String CERTIFICATE = "CN=gp-system.example.nhs.uk, O=Example GP System Ltd, C=GB";

    private static final String ID = "00000000-0000-7000-8000-000000000000";
    private static final String IDENTIFIER = "urn:uuid:00000000-0000-4000-8000-000000000000";
    private static final String NHS = "9000000009";

    private final String template;

    RegistrationRows() {
        this.template = encodeTemplate();
    }

    int resourceLength() {
        return template.length();
    }

    /** One appointment's values. */
    record Row(String id, String identifier, String nhsNumber, long startMillis, long now, String json) {
    }

    /** A new appointment for the patient, its start 1-300 days from now. */
    Row row(String nhsNumber) {
        String id = TimeOrderedIds.next();
        String identifier = "urn:uuid:" + UUID.randomUUID();
        long now = System.currentTimeMillis();
        long start = Instant.ofEpochMilli(now).plus(1 + ThreadLocalRandom.current().nextInt(300), ChronoUnit.DAYS)
                .truncatedTo(ChronoUnit.MINUTES).toEpochMilli();
        String json = template.replace(ID, id).replace(IDENTIFIER, identifier).replace(NHS, nhsNumber);
        return new Row(id, identifier, nhsNumber, start, now, json);
    }

    /** The registration transaction: the four inserts, committed before this returns (the caller set auto-commit off). */
    static void register(Connection c, Row row) throws SQLException {
        try (PreparedStatement current = c.prepareStatement(INSERT_CURRENT)) {
            bindCurrent(current, row);
            current.executeUpdate();
        }
        try (PreparedStatement identifier = c.prepareStatement(INSERT_IDENTIFIER)) {
            bindIdentifier(identifier, row);
            identifier.executeUpdate();
        }
        try (PreparedStatement version = c.prepareStatement(INSERT_VERSION)) {
            bindVersion(version, row);
            version.executeUpdate();
        }
        try (PreparedStatement audit = c.prepareStatement(INSERT_AUDIT)) {
            bindAudit(audit, row);
            audit.executeUpdate();
        }
        c.commit();
    }

    /** The same four rows for each of {@code rows}, in JDBC batches, one commit. */
    static void seed(Connection c, Iterable<Row> rows) throws SQLException {
        try (PreparedStatement current = c.prepareStatement(INSERT_CURRENT);
                PreparedStatement identifier = c.prepareStatement(INSERT_IDENTIFIER);
                PreparedStatement version = c.prepareStatement(INSERT_VERSION);
                PreparedStatement audit = c.prepareStatement(INSERT_AUDIT)) {
            for (Row row : rows) {
                bindCurrent(current, row);
                current.addBatch();
                bindIdentifier(identifier, row);
                identifier.addBatch();
                bindVersion(version, row);
                version.addBatch();
                bindAudit(audit, row);
                audit.addBatch();
            }
            current.executeBatch();
            identifier.executeBatch();
            version.executeBatch();
            audit.executeBatch();
        }
        c.commit();
    }

    private static void bindCurrent(PreparedStatement s, Row row) throws SQLException {
        s.setString(1, row.id());
        s.setInt(2, 1);
        s.setString(3, "booked");
        s.setString(4, row.nhsNumber());
        s.setLong(5, row.startMillis());
        s.setLong(6, row.now());
        s.setString(7, row.json());
    }

    private static void bindIdentifier(PreparedStatement s, Row row) throws SQLException {
        s.setString(1, IDENTIFIER_SYSTEM);
        s.setString(2, row.identifier());
        s.setString(3, row.id());
    }

    private static void bindVersion(PreparedStatement s, Row row) throws SQLException {
        s.setString(1, row.id());
        s.setInt(2, 1);
        s.setString(3, "booked");
        s.setLong(4, row.now());
        s.setString(5, row.json());
        s.setString(6, row.identifier().substring("urn:uuid:".length())); // a request id's length and shape
        s.setString(7, ISSUER);
        s.setString(8, SUBJECT);
        s.setString(9, ORGANISATION);
        s.setString(10, CERTIFICATE);
        s.setString(11, "http");
    }

    private static void bindAudit(PreparedStatement s, Row row) throws SQLException {
        s.setString(1, TimeOrderedIds.next());
        s.setLong(2, row.now());
        s.setString(3, row.identifier().substring("urn:uuid:".length()));
        s.setString(4, "create");
        s.setString(5, row.id());
        s.setInt(6, 1);
        s.setInt(7, 201);
        s.setString(8, "RESOURCE_CREATED");
        s.setString(9, ISSUER);
        s.setString(10, SUBJECT);
        s.setString(11, ORGANISATION);
        s.setString(12, CERTIFICATE);
        s.setString(13, "http");
    }

    /** A GP practice's booked follow-up, with the coded fields, participants and references such systems send. */
    private static String encodeTemplate() {
        Instant start = Instant.parse("2027-03-15T09:30:00Z");
        Appointment a = new Appointment();
        a.setIdElement(new IdType("Appointment", ID, "1"));
        a.getMeta().setVersionId("1");
        a.getMeta().setLastUpdatedElement(new InstantType("2026-12-07T14:00:00.123Z"));
        a.addExtension("https://fhir.nhs.uk/STU3/StructureDefinition/Extension-GPConnect-DeliveryChannel-2",
                new org.hl7.fhir.dstu3.model.CodeType("In-person"));
        a.addIdentifier(new Identifier().setSystem(IDENTIFIER_SYSTEM).setValue(IDENTIFIER));
        a.setStatus(Appointment.AppointmentStatus.BOOKED);
        a.setServiceCategory(new CodeableConcept().addCoding(new Coding("http://hl7.org/fhir/service-category", "17",
                "General Practice")));
        a.setAppointmentType(new CodeableConcept().addCoding(new Coding("http://hl7.org/fhir/v2/0276", "FOLLOWUP",
                "A follow up visit from a previous appointment")));
        a.addReason(new CodeableConcept().addCoding(new Coding("http://snomed.info/sct", "390906007",
                "Follow-up encounter")));
        a.setPriority(5);
        a.setDescription("Review of blood test results and repeat medication");
        a.setStart(Date.from(start));
        a.setEnd(Date.from(start.plus(15, ChronoUnit.MINUTES)));
        a.setMinutesDuration(15);
        a.addSlot(new Reference("Slot/3f1a2b9c-4d5e-4f60-8a7b-9c0d1e2f3a4b"));
        a.setCreatedElement(new org.hl7.fhir.dstu3.model.DateTimeType("2026-12-07T13:59:58Z"));
        a.setComment("Patient asked for a morning appointment; needs step-free access.");
        a.addParticipant()
                .setActor(new Reference().setIdentifier(new Identifier().setSystem("https://fhir.nhs.uk/Id/nhs-number")
                        .setValue(NHS)))
                .setRequired(Appointment.ParticipantRequired.REQUIRED)
                .setStatus(Appointment.ParticipationStatus.ACCEPTED);
        a.addParticipant()
                .setActor(new Reference("Practitioner/c9b8a7d6-e5f4-4a3b-8c2d-1e0f9a8b7c6d").setDisplay("Dr Jane Smith")
                        .setIdentifier(new Identifier().setSystem("https://fhir.nhs.uk/Id/sds-user-id").setValue("G13579135")))
                .setRequired(Appointment.ParticipantRequired.REQUIRED)
                .setStatus(Appointment.ParticipationStatus.ACCEPTED);
        a.addParticipant()
                .setActor(new Reference("Location/1d2e3f4a-5b6c-4d7e-8f9a-0b1c2d3e4f5a").setDisplay("The Surgery, High Street")
                        .setIdentifier(new Identifier().setSystem("https://fhir.nhs.uk/Id/ods-site-code").setValue("A81001")))
                .setStatus(Appointment.ParticipationStatus.ACCEPTED);
        return Fhir.context().newJsonParser().encodeResourceToString(a);
    }
}
