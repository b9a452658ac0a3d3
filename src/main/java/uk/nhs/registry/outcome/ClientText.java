package uk.nhs.registry.outcome;

/**
 * Text that goes into a diagnostics message. What a client sent is quoted back short (it may be
 * huge, and is only there to say which value was wrong). A library's own message never goes in
 * (CONTRACT §2): it names the library's classes, limits and configuration; the registry says what
 * is wrong in its own words.
 */
public final class ClientText {

    private static final int QUOTE_LENGTH = 100;

    private ClientText() {
    }

    /** A value the client sent, cut short for quoting in a message. */
    public static String quote(String text) {
        return cut(text == null ? "" : text, QUOTE_LENGTH);
    }

    private static String cut(String text, int length) {
        if (text.length() <= length) {
            return text;
        }
        // never half of a surrogate pair: the answer must be valid UTF-8
        int end = Character.isHighSurrogate(text.charAt(length - 1)) ? length - 1 : length;
        return text.substring(0, end) + "...";
    }
}
