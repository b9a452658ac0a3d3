package uk.nhs.registry.store;

/** The contract on an H2 file database (usable by URL; the embedded default is HSQLDB). */
class H2AppointmentStoreIT extends EmbeddedAppointmentStoreIT {

    @Override
    protected String fileUrlPrefix() {
        return "jdbc:h2:file:";
    }
}
