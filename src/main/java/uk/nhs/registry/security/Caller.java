package uk.nhs.registry.security;

/**
 * Who is making a request, as far as the registry can tell: the token's issuer, subject and
 * organisation (ODS code), the client certificate's subject, or for a feed its configured name.
 * Recorded with every write.
 */
public record Caller(String issuer, String subject, String organisation, String certificateSubject, String source) {

    public static Caller feed(String sourceName) {
        return new Caller(null, null, null, null, sourceName);
    }

    public static Caller http(String issuer, String subject, String organisation, String certificateSubject) {
        return new Caller(issuer, subject, organisation, certificateSubject, "http");
    }
}
