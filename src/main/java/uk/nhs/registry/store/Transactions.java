package uk.nhs.registry.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.ThreadLocalRandom;
import javax.sql.DataSource;

/**
 * Runs a unit of work in one database transaction: committed before it returns, rolled back on
 * any failure. Work that lost a race to another transaction (deadlock, serialization failure,
 * lock timeout) is run again from the start, so those failures never reach a client; the work
 * must therefore be safe to repeat, which every version-checked or uniqueness-checked write is.
 */
final class Transactions {

    private static final int MAX_ATTEMPTS = 5;

    @FunctionalInterface
    interface Work<T> {
        T run(Connection connection) throws SQLException;
    }

    private final DataSource dataSource;

    Transactions(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    <T> T run(Work<T> work) throws SQLException {
        for (int attempt = 1; ; attempt++) {
            try {
                return runOnce(work);
            } catch (SQLException e) {
                if (attempt >= MAX_ATTEMPTS || !SqlErrors.isTransient(e)) {
                    throw e;
                }
                backOff(attempt);
            }
        }
    }

    private <T> T runOnce(Work<T> work) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try {
                T result = work.run(connection);
                connection.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                rollback(connection, e);
                throw e;
            }
            // No need to restore auto-commit: HikariCP resets it when the connection goes back.
        }
    }

    private static void rollback(Connection connection, Exception cause) {
        try {
            connection.rollback();
        } catch (SQLException e) {
            cause.addSuppressed(e);
        }
    }

    // Randomised so that the transactions that collided do not collide again in lockstep.
    private static void backOff(int attempt) throws SQLException {
        try {
            Thread.sleep(ThreadLocalRandom.current().nextLong(5, 25L * attempt));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SQLException("interrupted while waiting to retry a transaction", e);
        }
    }
}
