package uk.nhs.registry.store;

/**
 * Search criteria; a null field means "no filter on this". Start bounds are epoch milliseconds,
 * from inclusive and before exclusive, so that consecutive ranges never overlap.
 */
public record AppointmentQuery(
        String nhsNumber,
        String identifierSystem,
        String identifierValue,
        String status,
        Long startFromInclusive,
        Long startBeforeExclusive) {

    public static AppointmentQuery forPatient(String nhsNumber) {
        return new AppointmentQuery(nhsNumber, null, null, null, null, null);
    }

    public static AppointmentQuery forIdentifier(String system, String value) {
        return new AppointmentQuery(null, system, value, null, null, null);
    }
}
