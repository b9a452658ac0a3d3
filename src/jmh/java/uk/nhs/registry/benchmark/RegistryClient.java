package uk.nhs.registry.benchmark;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

/**
 * One keep-alive HTTPS connection to the registry with the client certificate and a signed
 * token, used by one thread at a time. A blocking socket and the few lines of HTTP/1.1 the
 * registry needs, rather than java.net.http: the driver shares the machine's cores with the
 * registry, and the JDK client's asynchronous machinery cost more CPU per request than the
 * registry's own read path.
 */
final class RegistryClient implements AutoCloseable {

    /** What a registration gives back: enough to read, search and cancel it later. */
    record Registered(String id, String nhsNumber, String body) {
    }

    private record Response(int status, String location, String body) {
    }

    private final SSLContext tls;
    private final String host;
    private final int port;
    private final String basePath;
    private final String bearer;
    private SSLSocket socket;
    private InputStream in;
    private OutputStream out;

    RegistryClient(SSLContext tls, String base, String token) {
        URI uri = URI.create(base);
        this.tls = tls;
        this.host = uri.getHost();
        this.port = uri.getPort();
        this.basePath = uri.getPath();
        this.bearer = "Bearer " + token;
    }

    /** Returns the registration, or null when the registry did not answer 201. */
    Registered register(String nhsNumber, String json) throws IOException {
        Response response = send("POST", "/Appointment", json, null);
        if (response.status() != 201) {
            return null;
        }
        String location = response.location();
        String id = location.substring(location.indexOf("/Appointment/") + 13, location.indexOf("/_history/"));
        return new Registered(id, nhsNumber, response.body());
    }

    boolean read(String id) throws IOException {
        return send("GET", "/Appointment/" + id, null, null).status() == 200;
    }

    boolean searchByPatient(String nhsNumber) throws IOException {
        String value = URLEncoder.encode("https://fhir.nhs.uk/Id/nhs-number|" + nhsNumber, StandardCharsets.UTF_8);
        return send("GET", "/Appointment?patient.identifier=" + value, null, null).status() == 200;
    }

    /** Cancels version 1 of a registration: its stored body with only the status changed. */
    boolean cancel(Registered r) throws IOException {
        String body = r.body().replace("\"status\":\"booked\"", "\"status\":\"cancelled\"");
        return send("PUT", "/Appointment/" + r.id(), body, "W/\"1\"").status() == 200;
    }

    private Response send(String method, String path, String body, String ifMatch) throws IOException {
        byte[] content = body == null ? null : body.getBytes(StandardCharsets.UTF_8);
        StringBuilder head = new StringBuilder(1024).append(method).append(' ').append(basePath).append(path)
                .append(" HTTP/1.1\r\nHost: ").append(host).append(':').append(port)
                .append("\r\nAuthorization: ").append(bearer)
                .append("\r\nAccept: application/fhir+json\r\n");
        if (content != null) {
            head.append("Content-Type: application/fhir+json\r\nContent-Length: ").append(content.length).append("\r\n");
        }
        if (ifMatch != null) {
            head.append("If-Match: ").append(ifMatch).append("\r\n");
        }
        byte[] request = head.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1);
        boolean fresh = socket == null;
        try {
            return exchange(request, content);
        } catch (IOException e) {
            if (fresh) {
                throw e;
            }
            // the server may close an idle keep-alive connection: one retry on a new one
            close();
            return exchange(request, content);
        }
    }

    private Response exchange(byte[] request, byte[] content) throws IOException {
        if (socket == null) {
            socket = (SSLSocket) tls.getSocketFactory().createSocket();
            socket.setTcpNoDelay(true);
            socket.setSoTimeout(30_000);
            socket.connect(new InetSocketAddress(host, port), 10_000);
            socket.startHandshake();
            in = new BufferedInputStream(socket.getInputStream(), 16 * 1024);
            out = socket.getOutputStream();
        }
        if (content == null) {
            out.write(request);
        } else {
            byte[] both = new byte[request.length + content.length];
            System.arraycopy(request, 0, both, 0, request.length);
            System.arraycopy(content, 0, both, request.length, content.length);
            out.write(both);
        }
        out.flush();
        return readResponse();
    }

    private Response readResponse() throws IOException {
        String statusLine = line();
        int status = Integer.parseInt(statusLine.substring(9, 12));
        long length = -1;
        boolean chunked = false;
        boolean closes = false;
        String location = null;
        for (String header = line(); !header.isEmpty(); header = line()) {
            int colon = header.indexOf(':');
            String name = header.substring(0, colon).trim().toLowerCase(Locale.ROOT);
            String value = header.substring(colon + 1).trim();
            switch (name) {
                case "content-length" -> length = Long.parseLong(value);
                case "transfer-encoding" -> chunked = value.equalsIgnoreCase("chunked");
                case "connection" -> closes = value.equalsIgnoreCase("close");
                case "location" -> location = value;
                default -> { }
            }
        }
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        if (chunked) {
            for (int size = Integer.parseInt(line().split(";")[0].trim(), 16); size > 0;
                    size = Integer.parseInt(line().split(";")[0].trim(), 16)) {
                body.write(in.readNBytes(size));
                line();
            }
            while (!line().isEmpty()) {
                // trailers
            }
        } else if (length > 0) {
            body.write(in.readNBytes((int) length));
        }
        if (closes) {
            close();
        }
        return new Response(status, location, body.toString(StandardCharsets.UTF_8));
    }

    private String line() throws IOException {
        StringBuilder line = new StringBuilder(64);
        for (int b = in.read(); b != '\n'; b = in.read()) {
            if (b < 0) {
                throw new EOFException("connection closed");
            }
            if (b != '\r') {
                line.append((char) b);
            }
        }
        return line.toString();
    }

    @Override
    public void close() {
        if (socket != null) {
            try {
                socket.close();
            } catch (IOException ignored) {
                // closing a connection the server may have closed already
            }
            socket = null;
        }
    }
}
