package uk.nhs.registry.store;

import java.io.PrintWriter;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * The pool, with connections whose {@code commit()} returns only once the transaction is in the
 * database file ({@link H2GroupCommit}), so that every writer (the store, the audit trail, the
 * feeds) keeps "committed before the answer" without knowing which database it talks to.
 */
final class GroupCommitDataSource implements DataSource {

    private final DataSource pool;
    private final H2GroupCommit groupCommit;

    GroupCommitDataSource(DataSource pool, H2GroupCommit groupCommit) {
        this.pool = pool;
        this.groupCommit = groupCommit;
    }

    H2GroupCommit groupCommit() {
        return groupCommit;
    }

    @Override
    public Connection getConnection() throws SQLException {
        return writtenOnCommit(pool.getConnection());
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        return writtenOnCommit(pool.getConnection(username, password));
    }

    private Connection writtenOnCommit(Connection connection) {
        return (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(), new Class<?>[] {Connection.class},
                (proxy, method, args) -> {
                    Object result;
                    try {
                        result = method.invoke(connection, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                    if (method.getName().equals("commit") && method.getParameterCount() == 0) {
                        groupCommit.awaitWritten();
                    }
                    return result;
                });
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
