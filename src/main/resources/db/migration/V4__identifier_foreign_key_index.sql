-- H2 gives a foreign key an index of its own unless a usable one exists when the key is created.
-- V1 declared appointment_identifier's key inside CREATE TABLE, before the index on appointment_id,
-- so H2 kept two identical indexes and wrote both on every registration. Created again now, the
-- key uses appointment_identifier_appointment and H2 drops its own. PostgreSQL never indexes a
-- foreign key by itself: there this only checks the existing rows again.
ALTER TABLE appointment_identifier DROP CONSTRAINT appointment_identifier_appointment_fk;
ALTER TABLE appointment_identifier ADD CONSTRAINT appointment_identifier_appointment_fk
    FOREIGN KEY (appointment_id) REFERENCES appointment (id);
