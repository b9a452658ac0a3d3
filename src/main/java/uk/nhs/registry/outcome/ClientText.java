package uk.nhs.registry.outcome;

import java.util.regex.Pattern;

/**
 * Text that goes into a diagnostics message. What a client sent is quoted back short (it may be
 * huge, and is only there to say which value was wrong); what a library says is useful to a
 * client but carries internal message codes ("HAPI-1861: ") and sometimes Java class names, which
 * never leave the server.
 */
public final class ClientText {

    private static final int QUOTE_LENGTH = 100;
    private static final int LIBRARY_MESSAGE_LENGTH = 300;
    private static final Pattern HAPI_CODE = Pattern.compile("HAPI-\\d+:\\s*");
    private static final Pattern CLASS_NAME = Pattern.compile("\\b(?:[a-z][a-z0-9_]*\\.){2,}[A-Z][A-Za-z0-9_$]*\\b");

    private ClientText() {
    }

    /** A value the client sent, cut short for quoting in a message. */
    public static String quote(String text) {
        return cut(text == null ? "" : text, QUOTE_LENGTH);
    }

    /** A library's message, without its internal codes and class names. */
    public static String fromLibrary(String message) {
        if (message == null) {
            return "unreadable content";
        }
        String text = HAPI_CODE.matcher(message).replaceAll("");
        return cut(CLASS_NAME.matcher(text).replaceAll(""), LIBRARY_MESSAGE_LENGTH);
    }

    private static String cut(String text, int length) {
        return text.length() > length ? text.substring(0, length) + "..." : text;
    }
}
