package uk.nhs.registry.store;

/**
 * Search criteria; a null field means "no filter on this". Start bounds are epoch milliseconds,
 * from inclusive and before exclusive, so that consecutive ranges never overlap. The patient is
 * named by NHS number (STU3) or by reference, {@code Patient/{id}} (R4).
 */
public record AppointmentQuery(
        String nhsNumber,
        String identifierSystem,
        String identifierValue,
        String status,
        Long startFromInclusive,
        Long startBeforeExclusive,
        String patientReference) {

    /** A query that names the patient by NHS number (STU3), or not at all. */
    public AppointmentQuery(String nhsNumber, String identifierSystem, String identifierValue, String status,
            Long startFromInclusive, Long startBeforeExclusive) {
        this(nhsNumber, identifierSystem, identifierValue, status, startFromInclusive, startBeforeExclusive, null);
    }

    public static AppointmentQuery forPatient(String nhsNumber) {
        return new AppointmentQuery(nhsNumber, null, null, null, null, null);
    }

    public static AppointmentQuery forIdentifier(String system, String value) {
        return new AppointmentQuery(null, system, value, null, null, null);
    }
}
