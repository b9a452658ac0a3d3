package uk.nhs.registry.outcome;

import java.util.regex.Pattern;

/**
 * HAPI's parser messages are useful to a client but carry HAPI's internal message codes
 * ("HAPI-1861: ") and sometimes Java class names; this strips both before they leave the server.
 */
final class ParserMessages {

    private static final Pattern HAPI_CODE = Pattern.compile("HAPI-\\d+:\\s*");
    private static final Pattern CLASS_NAME = Pattern.compile("\\b(?:[a-z][a-z0-9_]*\\.){2,}[A-Z][A-Za-z0-9_$]*\\b");

    private ParserMessages() {
    }

    static String clean(String message) {
        if (message == null) {
            return "unreadable content";
        }
        String text = HAPI_CODE.matcher(message).replaceAll("");
        text = CLASS_NAME.matcher(text).replaceAll("");
        return text.length() > 500 ? text.substring(0, 500) + "..." : text;
    }
}
