package uk.nhs.registry.http;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.ssl.SslConnection;
import org.eclipse.jetty.io.ssl.SslHandshakeListener;
import org.eclipse.jetty.util.thread.Scheduler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Closes a TLS connection whose handshake has not completed within the deadline
 * ({@code registry.http.tls-handshake-timeout-ms}). Jetty's idle timeout alone does not bound a
 * handshake: a client that sends one byte every few seconds is never idle, and without a
 * certificate it could hold a socket (and a slot of {@code registry.http.max-connections}) for
 * ever. Registered on the connector as a {@link Connection.Listener}, so Jetty tells it of every
 * connection it opens; a plain HTTP connection (TLS off) has no handshake and is left alone.
 */
final class TlsHandshakeDeadline implements Connection.Listener {

    private static final Logger LOG = LoggerFactory.getLogger(TlsHandshakeDeadline.class);

    private final Scheduler scheduler;
    private final long deadlineMillis;

    TlsHandshakeDeadline(Scheduler scheduler, long deadlineMillis) {
        this.scheduler = scheduler;
        this.deadlineMillis = deadlineMillis;
    }

    @Override
    public void onOpened(Connection connection) {
        if (!(connection instanceof SslConnection tls)) {
            return;
        }
        AtomicBoolean completed = new AtomicBoolean();
        tls.addHandshakeListener(new SslHandshakeListener() {
            @Override
            public void handshakeSucceeded(Event event) {
                completed.set(true);
            }
        });
        scheduler.schedule(() -> {
            if (!completed.get() && tls.getEndPoint().isOpen()) {
                LOG.debug("Closing {}: no TLS handshake within {} ms", tls.getEndPoint().getRemoteSocketAddress(), deadlineMillis);
                tls.getEndPoint().close();
            }
        }, deadlineMillis, TimeUnit.MILLISECONDS);
    }

    @Override
    public void onClosed(Connection connection) {
        // the scheduled check finds the end point closed and does nothing
    }
}
