package uk.nhs.registry.store;

import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * The pool, with connections whose write transactions go through the {@link H2CommitLog}
 * ({@link LoggedConnection}): {@code commit()} returns once the transaction is in the log on the
 * disk, so that every writer (the store, the audit trail, the feeds) keeps "committed before
 * the answer" without knowing which database it talks to.
 */
final class CommitLogDataSource implements DataSource {

    private final DataSource pool;
    private final H2Checkpoints checkpoints;

    CommitLogDataSource(DataSource pool, H2Checkpoints checkpoints) {
        this.pool = pool;
        this.checkpoints = checkpoints;
    }

    H2Checkpoints checkpoints() {
        return checkpoints;
    }

    @Override
    public Connection getConnection() throws SQLException {
        return LoggedConnection.wrap(pool.getConnection(), checkpoints.log());
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        return LoggedConnection.wrap(pool.getConnection(username, password), checkpoints.log());
    }

    @Override
    public PrintWriter getLogWriter() throws SQLException {
        return pool.getLogWriter();
    }

    @Override
    public void setLogWriter(PrintWriter out) throws SQLException {
        pool.setLogWriter(out);
    }

    @Override
    public void setLoginTimeout(int seconds) throws SQLException {
        pool.setLoginTimeout(seconds);
    }

    @Override
    public int getLoginTimeout() throws SQLException {
        return pool.getLoginTimeout();
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        return pool.getParentLogger();
    }

    @Override
    public <T> T unwrap(Class<T> type) throws SQLException {
        return type.isInstance(this) ? type.cast(this) : pool.unwrap(type);
    }

    @Override
    public boolean isWrapperFor(Class<?> type) throws SQLException {
        return type.isInstance(this) || pool.isWrapperFor(type);
    }
}
