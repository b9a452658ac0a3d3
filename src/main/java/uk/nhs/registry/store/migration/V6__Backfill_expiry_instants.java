package uk.nhs.registry.store.migration;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;
import org.hl7.fhir.dstu3.model.Appointment;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import uk.nhs.registry.Fhir;

/**
 * V5 added `created_millis` and `end_millis` for expiry (CONTRACT §6); rows registered before it
 * have neither, and would never expire. This fills them from the stored STU3 resource, exactly as
 * the store fills them on registration (Stu3Appointment): `created`, and `end` or else `start`.
 * Every row before V5 is STU3 (V5's column default).
 *
 * <p>Java, because only a FHIR parser reads a FHIR date reliably (time zones, partial dates). It
 * reads in batches ordered by id (keyset), so memory stays flat whatever the table's size; it runs in
 * Flyway's transaction, so a failure leaves nothing half-done. It is handed to Flyway as an instance
 * (RegistryDatabase.migrate) rather than found by scanning a db.migration package, which inside OSGi
 * would depend on how the bundle's classes can be listed. A resource that cannot be parsed keeps
 * its NULLs: such an appointment never expires, and the count is logged.
 */
public final class V6__Backfill_expiry_instants extends BaseJavaMigration {

    private static final Logger LOG = LoggerFactory.getLogger(V6__Backfill_expiry_instants.class);
    private static final int BATCH = 500;

    @Override
    public void migrate(Context context) throws SQLException {
        Connection connection = context.getConnection();
        String after = "";
        int filled = 0;
        int unreadable = 0;
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT id, resource FROM appointment WHERE flavour = 'stu3' AND created_millis IS NULL"
                        + " AND end_millis IS NULL AND id > ? ORDER BY id FETCH FIRST " + BATCH + " ROWS ONLY");
                PreparedStatement update = connection.prepareStatement(
                        "UPDATE appointment SET created_millis = ?, end_millis = ? WHERE id = ?")) {
            while (true) {
                select.setString(1, after);
                List<String[]> rows = new ArrayList<>();
                try (ResultSet found = select.executeQuery()) {
                    while (found.next()) {
                        rows.add(new String[] {found.getString(1), found.getString(2)});
                    }
                }
                if (rows.isEmpty()) {
                    break;
                }
                for (String[] row : rows) {
                    Appointment appointment;
                    try {
                        appointment = Fhir.context().newJsonParser().parseResource(Appointment.class, row[1]);
                    } catch (RuntimeException e) {
                        unreadable++;
                        continue;
                    }
                    Date end = appointment.getEnd() != null ? appointment.getEnd() : appointment.getStart();
                    setMillis(update, 1, appointment.getCreated());
                    setMillis(update, 2, end);
                    update.setString(3, row[0]);
                    update.addBatch();
                    filled++;
                }
                update.executeBatch();
                after = rows.get(rows.size() - 1)[0];
            }
        }
        if (filled > 0 || unreadable > 0) {
            LOG.info("Expiry: filled created/end instants of {} appointments registered before V5; {} could not be read"
                    + " and will not expire", filled, unreadable);
        }
    }

    private static void setMillis(PreparedStatement statement, int index, Date date) throws SQLException {
        if (date == null) {
            statement.setNull(index, Types.BIGINT);
        } else {
            statement.setLong(index, date.getTime());
        }
    }
}
