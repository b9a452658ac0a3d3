package uk.nhs.registry.http;

import java.io.IOException;
import java.io.InputStream;
import java.util.function.BiFunction;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.hl7.fhir.dstu3.model.OperationOutcome.IssueType;
import uk.nhs.registry.RegistryExchange;
import uk.nhs.registry.format.AppointmentParser;
import uk.nhs.registry.format.FhirFormat;
import uk.nhs.registry.format.R4AppointmentParser;
import uk.nhs.registry.format.StrictUtf8;
import uk.nhs.registry.outcome.BadRequestException;
import uk.nhs.registry.outcome.PayloadTooLargeException;
import uk.nhs.registry.outcome.RequestTimeoutException;
import uk.nhs.registry.outcome.SpineCode;

/**
 * Reads the request body into an Appointment: no more than the configured number of bytes are
 * ever read (a larger declared length is refused before reading), the bytes must be valid UTF-8,
 * and the parsing rules are the flavour's parser's ({@link AppointmentParser}, {@link R4AppointmentParser}).
 */
public final class AppointmentBodyReader implements Processor {

    /** How far over the limit a declared body is still read (and discarded) to answer it cleanly. */
    static final long SWALLOW_BYTES = 2L * 1024 * 1024;

    private final long maxBodyBytes;
    private final BiFunction<String, FhirFormat, ?> parser;

    public AppointmentBodyReader(long maxBodyBytes, AppointmentParser parser) {
        this(maxBodyBytes, (BiFunction<String, FhirFormat, ?>) parser::parse);
    }

    private AppointmentBodyReader(long maxBodyBytes, BiFunction<String, FhirFormat, ?> parser) {
        this.maxBodyBytes = maxBodyBytes;
        this.parser = parser;
    }

    /** The same reading of the body for the medTech flavour, with its R4 parser (CONTRACT §7). */
    public static AppointmentBodyReader forR4(long maxBodyBytes, R4AppointmentParser parser) {
        return new AppointmentBodyReader(maxBodyBytes, (BiFunction<String, FhirFormat, ?>) parser::parse);
    }

    @Override
    public void process(Exchange exchange) throws IOException {
        FhirFormat format = ContentNegotiation.requestFormat(HttpExchange.header(exchange, "Content-Type"));
        exchange.setProperty(RegistryExchange.REQUEST_FORMAT, format);
        String declared = HttpExchange.header(exchange, "Content-Length");
        if (declared != null && parseLength(declared) > maxBodyBytes) {
            discardIfModest(exchange.getIn().getBody(InputStream.class), parseLength(declared));
            throw tooLarge();
        }
        byte[] bytes = readAtMost(exchange.getIn().getBody(InputStream.class));
        if (bytes.length == 0) {
            throw new BadRequestException(IssueType.REQUIRED, SpineCode.INVALID_REQUEST_MESSAGE,
                    "The request has no body; send one Appointment.");
        }
        exchange.getIn().setBody(parser.apply(StrictUtf8.decode(bytes), format));
    }

    private byte[] readAtMost(InputStream in) throws IOException {
        if (in == null) {
            return new byte[0];
        }
        try (in) {
            byte[] bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBodyBytes + 1));
            if (bytes.length > maxBodyBytes) {
                throw tooLarge();
            }
            return bytes;
        } catch (IOException e) {
            throw unreadable(e);
        }
    }

    // A client that stalls (idle timeout) or goes away mid-body is the client's failure, not the
    // registry's: a 4xx, and no stack trace in the log.
    private static RuntimeException unreadable(IOException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof java.util.concurrent.TimeoutException) {
                return new RequestTimeoutException(IssueType.TIMEOUT, SpineCode.BAD_REQUEST,
                        "The request body did not arrive in time; the connection was idle too long.");
            }
        }
        return new BadRequestException(IssueType.INCOMPLETE, SpineCode.MESSAGE_NOT_WELL_FORMED,
                "The request body could not be read to its end.");
    }

    /**
     * A client that sends a body slightly over the limit is usually still sending when the 413 is
     * ready; closing on unread data makes TCP reset the connection, and the client then often never
     * sees the answer. So a declared body up to {@value #SWALLOW_BYTES} bytes over the limit is read
     * and thrown away first (as Tomcat's maxSwallowSize does); anything larger is refused unread.
     */
    private void discardIfModest(InputStream in, long declaredLength) {
        if (in == null || declaredLength > maxBodyBytes + SWALLOW_BYTES) {
            return;
        }
        byte[] buffer = new byte[8192];
        try (in) {
            for (long left = declaredLength; left > 0; ) {
                int n = in.read(buffer, 0, (int) Math.min(buffer.length, left));
                if (n < 0) {
                    return;
                }
                left -= n;
            }
        } catch (IOException e) {
            // the request is refused either way
        }
    }

    private PayloadTooLargeException tooLarge() {
        return new PayloadTooLargeException(IssueType.TOOCOSTLY, SpineCode.BAD_REQUEST,
                "The body is larger than the registry accepts (" + maxBodyBytes + " bytes).");
    }

    private static long parseLength(String value) {
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            throw new BadRequestException(IssueType.INVALID, SpineCode.MISSING_OR_INVALID_HEADER,
                    "Content-Length is not a number.");
        }
    }
}
