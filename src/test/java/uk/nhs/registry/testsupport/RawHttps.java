package uk.nhs.registry.testsupport;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import javax.net.ssl.SSLSocket;

/**
 * A mutual-TLS connection that sends bytes exactly as given: for requests an HTTP client library
 * would tidy up first (encoded slashes, '..' segments, bodies sent slowly). Reads are bounded by
 * a socket timeout so no test can hang on a server that does not answer.
 */
public final class RawHttps implements AutoCloseable {

    private final SSLSocket socket;

    private RawHttps(SSLSocket socket) {
        this.socket = socket;
    }

    public static RawHttps connect(RunningRegistry registry, int readTimeoutMillis) {
        try {
            var tls = TestCertificates.clientContext(registry.dev().clientKeystore(), registry.dev().password(),
                    registry.dev().truststore(), registry.dev().password());
            SSLSocket socket = (SSLSocket) tls.getSocketFactory().createSocket("127.0.0.1", registry.port());
            socket.setSoTimeout(readTimeoutMillis);
            socket.startHandshake();
            return new RawHttps(socket);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public RawHttps send(String text) {
        return send(text.getBytes(StandardCharsets.ISO_8859_1));
    }

    public RawHttps send(byte[] bytes) {
        try {
            OutputStream out = socket.getOutputStream();
            out.write(bytes);
            out.flush();
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** One GET with the given raw request target and a bearer token, answered in full. */
    public static RawResponse get(RunningRegistry registry, String target, String token) {
        try (RawHttps connection = connect(registry, 10_000)) {
            return connection.send("GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + token
                    + "\r\nConnection: close\r\n\r\n").readUntilClosed();
        }
    }

    /**
     * Everything the server sends until it closes the connection; throws if it is still open and
     * silent when the read timeout passes.
     */
    public RawResponse readUntilClosed() {
        try {
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream received = new ByteArrayOutputStream();
            byte[] buffer = new byte[8192];
            try {
                for (int n; (n = in.read(buffer)) != -1; ) {
                    received.write(buffer, 0, n);
                }
            } catch (javax.net.ssl.SSLException e) {
                // a peer that closes without close_notify: what was received still counts
            }
            return new RawResponse(received.toString(StandardCharsets.UTF_8));
        } catch (SocketTimeoutException e) {
            throw new IllegalStateException("the server neither answered nor closed the connection in time", e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * One response, read as far as its own framing says (Content-Length or chunked), without
     * waiting for the server to close the connection.
     */
    public RawResponse readResponse() {
        try {
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream received = new ByteArrayOutputStream();
            while (!received.toString(StandardCharsets.ISO_8859_1).contains("\r\n\r\n")) {
                int b = in.read();
                if (b < 0) {
                    break;
                }
                received.write(b);
            }
            String head = received.toString(StandardCharsets.ISO_8859_1).toLowerCase(java.util.Locale.ROOT);
            java.util.regex.Matcher length = java.util.regex.Pattern.compile("content-length: *(\\d+)").matcher(head);
            if (length.find()) {
                received.write(in.readNBytes(Integer.parseInt(length.group(1))));
            } else if (head.contains("transfer-encoding: chunked")) {
                while (!received.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n0\r\n\r\n")) {
                    int b = in.read();
                    if (b < 0) {
                        break;
                    }
                    received.write(b);
                }
            }
            return new RawResponse(received.toString(StandardCharsets.UTF_8));
        } catch (SocketTimeoutException e) {
            throw new IllegalStateException("the server did not answer in time", e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException e) {
            // closing is best effort
        }
    }

    /** A raw HTTP/1.1 response: status line, headers and body as text. */
    public record RawResponse(String text) {

        public int status() {
            if (!text.startsWith("HTTP/1.1 ")) {
                return -1;
            }
            return Integer.parseInt(text.substring(9, 12));
        }

        public String body() {
            int end = text.indexOf("\r\n\r\n");
            return end < 0 ? "" : text.substring(end + 4);
        }

        public String headers() {
            int end = text.indexOf("\r\n\r\n");
            return end < 0 ? text : text.substring(0, end);
        }
    }
}
