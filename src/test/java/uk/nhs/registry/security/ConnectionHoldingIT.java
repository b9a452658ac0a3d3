package uk.nhs.registry.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import uk.nhs.registry.testsupport.RawHttps;
import uk.nhs.registry.testsupport.RunningRegistry;

/**
 * Clients without a certificate cannot hold sockets (CONTRACT §2 "Bounded work"): a TLS handshake
 * that is not complete by registry.http.tls-handshake-timeout-ms is dropped however slowly the
 * client keeps sending, and no more than registry.http.max-connections are open at once. Runs its
 * own registry with a short deadline and a small cap, so it stays quick.
 */
@Timeout(120)
class ConnectionHoldingIT {

    private static final int MAX_CONNECTIONS = 8;
    // A TLS 1.2 handshake record header (content type 22, version 3.1, length 512): the handshake
    // has begun, and the rest of the record is owed.
    private static final byte[] TLS_RECORD_START = {0x16, 0x03, 0x01, 0x02, 0x00};

    private static RunningRegistry registry;

    @BeforeAll
    static void start() {
        registry = RunningRegistry.start(Map.of(
                "registry.http.tls-handshake-timeout-ms", "1000",
                "registry.http.max-connections", Integer.toString(MAX_CONNECTIONS)));
    }

    @AfterAll
    static void stop() {
        registry.close();
    }

    @Test
    void aHandshakeThatTricklesInIsDroppedAtItsDeadline() throws Exception {
        List<Socket> holders = new ArrayList<>();
        try {
            for (int i = 0; i < 5; i++) {
                Socket socket = new Socket("127.0.0.1", registry.port());
                socket.getOutputStream().write(TLS_RECORD_START);
                holders.add(socket);
            }
            // One byte every 300 ms keeps each connection busy (never idle); after 20 s without the
            // server closing it, the test fails on the trickle's own bound below.
            long stopAt = System.nanoTime() + 20_000_000_000L;
            List<Socket> open = new ArrayList<>(holders);
            while (!open.isEmpty() && System.nanoTime() < stopAt) {
                Thread.sleep(300);
                open.removeIf(ConnectionHoldingIT::closedByServer);
            }
            assertThat(open).as("connections still open while trickling a handshake").isEmpty();
        } finally {
            closeAll(holders);
        }
        // a client with a certificate is served as before
        assertThat(registry.send(registry.authorised("/metadata").GET().build()).statusCode()).isEqualTo(200);
    }

    @Test
    void openConnectionsAreCappedAndASlotFreesWhenOneCloses() {
        List<RawHttps> holders = new ArrayList<>();
        boolean refused = false;
        try {
            // Certificate-bearing connections that stay open (idle, well inside the idle timeout),
            // opened until the server takes no more; the test's own client may hold one already.
            while (!refused && holders.size() <= MAX_CONNECTIONS) {
                try {
                    holders.add(RawHttps.connect(registry, 2_000));
                } catch (java.io.UncheckedIOException e) {
                    // At the cap the server accepts nothing: the handshake is never answered (the
                    // connection waits in the kernel's backlog) and the client's read times out.
                    assertThat(e).hasRootCauseInstanceOf(SocketTimeoutException.class);
                    refused = true;
                }
            }
            assertThat(refused).as("a connection beyond registry.http.max-connections was refused").isTrue();
            assertThat(holders).hasSizeLessThanOrEqualTo(MAX_CONNECTIONS);
        } finally {
            holders.forEach(RawHttps::close);
        }
        try (RawHttps served = RawHttps.connect(registry, 10_000)) {
            RawHttps.RawResponse response = served.send("GET /fhir/metadata HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
                    .readUntilClosed();
            assertThat(response.status()).isEqualTo(200);
        }
    }

    /** True once the server has closed the connection (end of stream, reset, or a write that fails). */
    private static boolean closedByServer(Socket socket) {
        try {
            OutputStream out = socket.getOutputStream();
            out.write('x');
            out.flush();
            socket.setSoTimeout(1);
            InputStream in = socket.getInputStream();
            return in.read() == -1;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true;
        }
    }

    private static void closeAll(List<Socket> sockets) {
        for (Socket socket : sockets) {
            try {
                socket.close();
            } catch (IOException e) {
                // best effort
            }
        }
    }
}
