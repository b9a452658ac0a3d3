-- The audit trail of writes (issue #3): one row per write attempt over HTTP or a feed, whether it
-- succeeded (written in the same transaction as the write) or was rejected (written on its own).
-- It never holds the resource or the NHS number: who, what, when and how it ended only.
-- No foreign key to appointment: a rejected create has no appointment, and rows outlive whatever
-- happens to the appointment. Portable across H2 2.x and PostgreSQL 15+; instants are epoch millis.
CREATE TABLE audit_event (
    event_id             VARCHAR(36)  NOT NULL,
    recorded_at          BIGINT       NOT NULL,
    request_id           VARCHAR,
    -- 'create' or 'update' (FHIR interaction codes); the HTTP method for a write that named no interaction.
    interaction          VARCHAR(16)  NOT NULL,
    appointment_id       VARCHAR(64),
    -- the version written; for a rejected update the version it expected to replace, if known.
    appointment_version  INTEGER,
    outcome_status       INTEGER      NOT NULL,
    spine_code           VARCHAR(64)  NOT NULL,
    token_issuer         VARCHAR,
    token_subject        VARCHAR,
    token_organisation   VARCHAR,
    certificate_subject  VARCHAR,
    source               VARCHAR,
    CONSTRAINT audit_event_pk PRIMARY KEY (event_id)
);

CREATE INDEX audit_event_appointment ON audit_event (appointment_id, recorded_at);
CREATE INDEX audit_event_recorded ON audit_event (recorded_at);
CREATE INDEX audit_event_request ON audit_event (request_id);
