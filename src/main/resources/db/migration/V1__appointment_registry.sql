-- Portable across H2 2.x and PostgreSQL 15+: no vendor types, no vendor functions.
-- Instants are epoch milliseconds in BIGINT so that both databases, and every JVM time zone,
-- read back exactly the value that was written.

-- The current version of each appointment; one row per appointment.
CREATE TABLE appointment (
    id            VARCHAR(64)  NOT NULL,
    version       INTEGER      NOT NULL,
    status        VARCHAR(32)  NOT NULL,
    -- VARCHAR, not CHAR: PostgreSQL compares a CHAR column with a JDBC string parameter by casting
    -- the column to text, which stops it using the index below.
    nhs_number    VARCHAR(10)  NOT NULL,
    -- Appointment.start is optional for proposed/waitlisted appointments.
    start_millis  BIGINT,
    last_updated  BIGINT       NOT NULL,
    resource      TEXT         NOT NULL,
    CONSTRAINT appointment_pk PRIMARY KEY (id)
);

CREATE INDEX appointment_nhs_start ON appointment (nhs_number, start_millis);

-- Business identifiers. The primary key is what makes a second registration of the same
-- identifier fail inside the database, whatever the number of concurrent writers.
-- Columns are not called system/value: VALUE is a reserved word in H2.
-- 1024 + 1024 characters keeps an ASCII key well inside PostgreSQL's btree row limit (~2.7 kB);
-- the store refuses identifiers longer than 1024 bytes before inserting.
CREATE TABLE appointment_identifier (
    id_system       VARCHAR(1024) NOT NULL,
    id_value        VARCHAR(1024) NOT NULL,
    appointment_id  VARCHAR(64)   NOT NULL,
    CONSTRAINT appointment_identifier_pk PRIMARY KEY (id_system, id_value),
    CONSTRAINT appointment_identifier_appointment_fk FOREIGN KEY (appointment_id) REFERENCES appointment (id)
);

CREATE INDEX appointment_identifier_appointment ON appointment_identifier (appointment_id);
-- identifier=<value> without a system is a legal FHIR token search.
CREATE INDEX appointment_identifier_value ON appointment_identifier (id_value);

-- Every version ever stored, never updated or deleted: the history and the audit trail of writes.
-- Caller details are unbounded VARCHAR because they come from tokens and certificates whose
-- length the registry does not control, and an over-long audit value must not fail a write.
CREATE TABLE appointment_version (
    id                  VARCHAR(64) NOT NULL,
    version             INTEGER     NOT NULL,
    status              VARCHAR(32) NOT NULL,
    last_updated        BIGINT      NOT NULL,
    resource            TEXT        NOT NULL,
    request_id          VARCHAR,
    actor_issuer        VARCHAR,
    actor_subject       VARCHAR,
    actor_organisation  VARCHAR,
    actor_certificate   VARCHAR,
    actor_source        VARCHAR,
    CONSTRAINT appointment_version_pk PRIMARY KEY (id, version),
    CONSTRAINT appointment_version_appointment_fk FOREIGN KEY (id) REFERENCES appointment (id)
);
