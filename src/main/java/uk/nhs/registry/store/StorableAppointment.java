package uk.nhs.registry.store;

import java.time.Instant;
import java.util.List;

/**
 * What the store needs of an appointment to write it, whatever its FHIR version: the values of the
 * columns it is found and expired by, and its resource stamped with the id and meta the store assigns.
 * Each flavour adapts its own resource type to this (STU3: {@link Stu3Appointment}).
 */
public interface StorableAppointment {

    /** The FHIR status code to store. */
    String status();

    /** STU3: the patient's NHS number; null for a flavour that names patients by reference. */
    String nhsNumber();

    /** R4: the patient participant's reference, {@code Patient/{id}}; null for STU3. */
    String patientReference();

    Long startMillis();

    /** {@code end}, or {@code start} when there is no end; null when neither is known. */
    Long endMillis();

    Long createdMillis();

    /** The business identifiers (system and value both present) to keep unique within the flavour. */
    List<RegisteredIdentifier> identifiers();

    /** The resource as it is to be stored and served: a copy carrying this id and meta, encoded as JSON. */
    String stampedJson(String id, int version, Instant lastUpdated);
}
