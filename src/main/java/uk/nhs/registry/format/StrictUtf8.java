package uk.nhs.registry.format;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import org.hl7.fhir.dstu3.model.OperationOutcome.IssueType;
import uk.nhs.registry.outcome.BadRequestException;
import uk.nhs.registry.outcome.SpineCode;

/**
 * FHIR payloads are UTF-8. Bytes that are not are refused rather than decoded with replacement
 * characters, which would store something other than what the sender meant.
 */
public final class StrictUtf8 {

    private StrictUtf8() {
    }

    public static String decode(byte[] bytes) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new BadRequestException(IssueType.STRUCTURE, SpineCode.MESSAGE_NOT_WELL_FORMED,
                    "The payload is not valid UTF-8.");
        }
    }

    /**
     * Refuses text that UTF-8 cannot carry: a Java string (a feed's text message, or a value a
     * parser unescaped) may hold a lone surrogate, which the database would store as '?'.
     */
    public static void requireEncodable(CharSequence text) {
        int at = loneSurrogateAt(text);
        if (at >= 0) {
            throw new BadRequestException(IssueType.STRUCTURE, SpineCode.MESSAGE_NOT_WELL_FORMED,
                    "The payload holds a lone UTF-16 surrogate at character " + at + ", which is not a Unicode character.");
        }
    }

    /** The index of the first surrogate that is not half of a pair, or -1. */
    public static int loneSurrogateAt(CharSequence text) {
        for (int i = 0, n = text.length(); i < n; i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return i;
            }
        }
        return -1;
    }
}
