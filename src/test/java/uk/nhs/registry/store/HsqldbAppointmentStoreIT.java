package uk.nhs.registry.store;

/** The contract on the embedded default, an HSQLDB file database. */
class HsqldbAppointmentStoreIT extends EmbeddedAppointmentStoreIT {

    @Override
    protected String fileUrlPrefix() {
        return "jdbc:hsqldb:file:";
    }
}
