package uk.nhs.registry.store;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import uk.nhs.registry.security.Caller;

/**
 * The five columns that say who made a write (token issuer, subject, organisation, client
 * certificate subject, source), in that order, as both the version history and the audit trail
 * record them. A write without a known caller records them empty rather than failing.
 */
final class CallerColumns {

    private CallerColumns() {
    }

    static void bind(PreparedStatement statement, int firstIndex, Caller caller) throws SQLException {
        Caller who = caller == null ? new Caller(null, null, null, null, null) : caller;
        statement.setString(firstIndex, who.issuer());
        statement.setString(firstIndex + 1, who.subject());
        statement.setString(firstIndex + 2, who.organisation());
        statement.setString(firstIndex + 3, who.certificateSubject());
        statement.setString(firstIndex + 4, who.source());
    }
}
