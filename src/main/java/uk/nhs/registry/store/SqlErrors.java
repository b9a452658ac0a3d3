package uk.nhs.registry.store;

import java.sql.SQLException;
import java.util.Set;

/** Classifies SQL failures by SQLState, the one vocabulary HSQLDB, H2 and PostgreSQL share. */
final class SqlErrors {

    private static final String UNIQUE_VIOLATION = "23505";

    /**
     * Failures that say "another transaction got in the way", after which the same work may
     * succeed: serialization failure (40001, also H2's and HSQLDB's deadlock), PostgreSQL deadlock
     * (40P01) and lock-not-available (55P03), H2 lock timeout (HYT00) and concurrent update (90131).
     * HSQLDB under MVCC at READ COMMITTED, like PostgreSQL, makes a second writer of a row wait for
     * the first and then re-evaluates its WHERE clause, so a version-checked cancel that lost finds
     * no row rather than failing; a duplicate is 23505.
     */
    private static final Set<String> TRANSIENT = Set.of("40001", "40P01", "55P03", "HYT00", "90131");

    private SqlErrors() {
    }

    static boolean isUniqueViolation(SQLException e) {
        for (SQLException s = e; s != null; s = s.getNextException()) {
            // H2 reports its own error code 23505 even where the state differs in old modes.
            if (UNIQUE_VIOLATION.equals(s.getSQLState()) || s.getErrorCode() == 23505) {
                return true;
            }
        }
        return false;
    }

    static boolean isTransient(SQLException e) {
        for (SQLException s = e; s != null; s = s.getNextException()) {
            if (s.getSQLState() != null && TRANSIENT.contains(s.getSQLState())) {
                return true;
            }
        }
        return false;
    }
}
