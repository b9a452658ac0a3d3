package uk.nhs.registry.ingest;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import uk.nhs.registry.testsupport.RunningRegistry;

/** The current stored JSON of an appointment, as a reader of the registry would get it. */
final class FeedRecordsJson {

    private FeedRecordsJson() {
    }

    static String current(RunningRegistry registry, String identifierValue) {
        try (Connection db = registry.database();
                PreparedStatement query = db.prepareStatement("SELECT a.resource FROM appointment a JOIN"
                        + " appointment_identifier i ON i.appointment_id = a.id WHERE i.id_value = ?")) {
            query.setString(1, identifierValue);
            try (ResultSet row = query.executeQuery()) {
                if (!row.next()) {
                    throw new AssertionError("no appointment with identifier " + identifierValue);
                }
                return row.getString(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
