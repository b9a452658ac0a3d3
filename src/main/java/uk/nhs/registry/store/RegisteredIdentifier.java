package uk.nhs.registry.store;

import java.nio.charset.StandardCharsets;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.TreeSet;
import org.hl7.fhir.dstu3.model.OperationOutcome.IssueType;
import uk.nhs.registry.outcome.SpineCode;
import uk.nhs.registry.outcome.UnprocessableEntityException;

/** A business identifier as the appointment_identifier table holds it. */
public record RegisteredIdentifier(String system, String value) {

    /**
     * Bytes, not characters: PostgreSQL limits a btree index row to about 2.7 kB, so 1024
     * multi-byte characters could still fail the insert with an error that would become a 500.
     */
    static final int MAX_BYTES = 1024;

    private static final Comparator<RegisteredIdentifier> ORDER =
            Comparator.comparing(RegisteredIdentifier::system).thenComparing(RegisteredIdentifier::value);

    public RegisteredIdentifier {
        Objects.requireNonNull(system, "identifier system");
        Objects.requireNonNull(value, "identifier value");
    }

    /**
     * The distinct identifiers, sorted. Every registration inserts them in the
     * same order, so two registrations sharing identifiers wait on each other instead of
     * deadlocking; a duplicate inside one resource is registered once rather than rejected.
     */
    public static List<RegisteredIdentifier> distinctSorted(List<RegisteredIdentifier> found) {
        TreeSet<RegisteredIdentifier> identifiers = new TreeSet<>(ORDER);
        identifiers.addAll(found);
        return List.copyOf(identifiers);
    }

    /**
     * An identifier to register, checked against what the table can hold.
     *
     * @throws UnprocessableEntityException if the system or value is too long or holds a NUL
     */
    public static RegisteredIdentifier checked(String system, String value) {
        if (system == null || value == null) {
            // The caller validates this; reaching here is a programming error, not a client's.
            throw new IllegalArgumentException("an identifier to register needs both a system and a value");
        }
        if (!fits(system)) {
            throw new UnprocessableEntityException(IssueType.VALUE, SpineCode.INVALID_IDENTIFIER_SYSTEM,
                    "Identifier system must be at most " + MAX_BYTES + " bytes (UTF-8) without NUL characters");
        }
        if (!fits(value)) {
            throw new UnprocessableEntityException(IssueType.VALUE, SpineCode.INVALID_IDENTIFIER_VALUE,
                    "Identifier value must be at most " + MAX_BYTES + " bytes (UTF-8) without NUL characters");
        }
        return new RegisteredIdentifier(system, value);
    }

    // PostgreSQL cannot store U+0000 in text at all.
    private static boolean fits(String text) {
        return text.indexOf('\0') < 0 && text.getBytes(StandardCharsets.UTF_8).length <= MAX_BYTES;
    }

    @Override
    public String toString() {
        return system + "|" + value;
    }
}
