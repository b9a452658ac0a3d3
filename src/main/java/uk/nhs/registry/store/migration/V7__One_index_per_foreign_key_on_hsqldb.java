package uk.nhs.registry.store.migration;

import java.sql.SQLException;
import java.sql.Statement;
import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

/**
 * HSQLDB gives every foreign key an index of its own, whatever indexes exist (V4's trick for H2,
 * creating the key after the index, does not apply). So appointment_identifier.appointment_id is
 * indexed twice there, by the key and by V1's appointment_identifier_appointment, and both are
 * written on every registration. On HSQLDB this drops V1's index: the key's own serves the same
 * lookups (by appointment, and the key check on delete). On H2 and PostgreSQL, V1's index is the
 * only one, and stays.
 *
 * <p>Java, because the step depends on the engine; handed to Flyway as an instance, like V6.
 */
public final class V7__One_index_per_foreign_key_on_hsqldb extends BaseJavaMigration {

    private static final String HSQLDB = "HSQL Database Engine";

    @Override
    public void migrate(Context context) throws SQLException {
        if (!HSQLDB.equals(context.getConnection().getMetaData().getDatabaseProductName())) {
            return;
        }
        try (Statement statement = context.getConnection().createStatement()) {
            statement.execute("DROP INDEX appointment_identifier_appointment");
        }
    }
}
