package uk.nhs.registry.ingest;

import java.net.ConnectException;
import java.net.SocketException;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;
import java.util.Set;
import org.apache.camel.Exchange;

/**
 * Failures that say "the database cannot be reached or is busy right now", after which the same
 * message may well succeed: these are retried with back-off and never dead-lettered, because they
 * say nothing about the message.
 */
public final class TransientFailures {

    /**
     * SQLState classes: 08 connection exception, 40 transaction rollback (serialization, deadlock),
     * 53 insufficient resources, 57 operator intervention (PostgreSQL shutting down or starting).
     */
    private static final Set<String> STATE_CLASSES = Set.of("08", "40", "53", "57");
    /** PostgreSQL lock not available, H2 lock timeout. */
    private static final Set<String> STATES = Set.of("55P03", "HYT00");
    /** H2: connection broken, database closed, closed by shutdown, IO error. */
    private static final Set<Integer> H2_CODES = Set.of(90067, 90098, 90121, 90028);

    /** For the route's onException: the failure caught on this exchange. */
    public boolean isTransient(Exchange exchange) {
        Throwable failure = exchange.getException();
        if (failure == null) {
            failure = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        }
        return isTransient(failure);
    }

    public static boolean isTransient(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SQLTransientException || t instanceof SQLRecoverableException
                    || t instanceof SQLNonTransientConnectionException
                    || t instanceof ConnectException || t instanceof SocketException) {
                return true;
            }
            if (t instanceof SQLException sql && isTransientSql(sql)) {
                return true;
            }
        }
        return false;
    }

    private static boolean isTransientSql(SQLException e) {
        for (SQLException s = e; s != null; s = s.getNextException()) {
            String state = s.getSQLState();
            if (state != null && (STATES.contains(state) || state.length() >= 2 && STATE_CLASSES.contains(state.substring(0, 2)))) {
                return true;
            }
            if (H2_CODES.contains(s.getErrorCode()) && s.getClass().getName().startsWith("org.h2.")) {
                return true;
            }
        }
        return false;
    }
}
