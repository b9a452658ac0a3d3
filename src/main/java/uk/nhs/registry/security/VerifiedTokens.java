package uk.nhs.registry.security;

import com.nimbusds.jwt.JWTClaimsSet;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Tokens whose signature and header were already verified, so that a client sending the same
 * token on every request pays the signature check (RSA/ECDSA, the token check's main cost) once.
 * Only the exact token text is ever matched, and its time-based claims are still checked on
 * every use by the caller. An entry is forgotten after {@link #MAX_AGE}, so a key withdrawn from
 * the JWKS stops admitting its tokens within that time even if they have not expired.
 */
final class VerifiedTokens {

    static final Duration MAX_AGE = Duration.ofMinutes(5);
    private static final int CAPACITY = 10_000;

    private record Entry(JWTClaimsSet claims, long verifiedAtNanos) {
    }

    private final ConcurrentHashMap<String, Entry> byToken = new ConcurrentHashMap<>();
    private final LongSupplier nanoTime;

    VerifiedTokens() {
        this(System::nanoTime);
    }

    VerifiedTokens(LongSupplier nanoTime) {
        this.nanoTime = nanoTime;
    }

    /** The claims of a token verified less than {@link #MAX_AGE} ago, or null. */
    JWTClaimsSet claimsOf(String token) {
        Entry entry = byToken.get(token);
        if (entry == null) {
            return null;
        }
        if (nanoTime.getAsLong() - entry.verifiedAtNanos() > MAX_AGE.toNanos()) {
            byToken.remove(token, entry);
            return null;
        }
        return entry.claims();
    }

    void remember(String token, JWTClaimsSet claims) {
        if (byToken.size() >= CAPACITY) {
            // Tokens are short-lived; starting afresh costs one signature check per live token.
            byToken.clear();
        }
        byToken.put(token, new Entry(claims, nanoTime.getAsLong()));
    }
}
