-- Two FHIR flavours on one registry (CONTRACT §7) and expiry (CONTRACT §6).
-- Portable across H2 2.x and PostgreSQL 15+, like the migrations before it.

-- Which API an appointment was registered through: 'stu3' (NHS, [base]) or 'r4' (medTech, [base]/R4).
-- Every read, search and write is scoped to one flavour, so neither sees the other's appointments.
ALTER TABLE appointment ADD COLUMN flavour VARCHAR(8) DEFAULT 'stu3' NOT NULL;
-- An R4 appointment names its patient by reference, not by NHS number.
ALTER TABLE appointment ALTER COLUMN nhs_number DROP NOT NULL;
-- R4: the patient participant's reference, normalised to 'Patient/{id}'.
ALTER TABLE appointment ADD COLUMN patient_reference VARCHAR(256);
-- Appointment.created, for registry.expiry.after-created.
ALTER TABLE appointment ADD COLUMN created_millis BIGINT;
-- Appointment.end, or its start when it has no end: the instant registry.expiry.after-end counts from.
ALTER TABLE appointment ADD COLUMN end_millis BIGINT;

CREATE INDEX appointment_patient_reference ON appointment (patient_reference, start_millis);
-- The expiry job finds what is due by these, in batches, without scanning the table.
CREATE INDEX appointment_created ON appointment (created_millis);
CREATE INDEX appointment_end ON appointment (end_millis);

-- An identifier is unique within a flavour: an R4 registration must not learn (from a duplicate
-- rejection) that an STU3 appointment exists, nor be blocked by one.
ALTER TABLE appointment_identifier ADD COLUMN flavour VARCHAR(8) DEFAULT 'stu3' NOT NULL;
ALTER TABLE appointment_identifier DROP CONSTRAINT appointment_identifier_pk;
ALTER TABLE appointment_identifier ADD CONSTRAINT appointment_identifier_pk PRIMARY KEY (flavour, id_system, id_value);

-- What is left of an expired appointment: every version's content is deleted with its rows in
-- appointment, appointment_identifier and appointment_version; this keeps the id (so a read answers
-- 410 Gone, not 404), its identifiers (system|value, one per line), when it was created, and when
-- it expired. No NHS number, no patient, no resource.
CREATE TABLE expired_appointment (
    id              VARCHAR(64)  NOT NULL,
    flavour         VARCHAR(8)   NOT NULL,
    identifiers     VARCHAR,
    created_millis  BIGINT,
    expired_at      BIGINT       NOT NULL,
    CONSTRAINT expired_appointment_pk PRIMARY KEY (id)
);
