package uk.nhs.registry.security;

import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.util.DefaultResourceRetriever;
import com.nimbusds.jose.util.Resource;
import com.nimbusds.jose.util.ResourceRetriever;
import java.io.IOException;
import java.net.MalformedURLException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The verification keys of the oauth2 profile, from a JWKS file or URL. nimbus caches the set and
 * fetches it again when a token names a `kid` it does not hold (rate-limited), so key rotation at
 * the issuer needs no restart; a file is re-read the same way.
 */
final class JwksSource {

    private static final int TIMEOUT_MILLIS = 5_000;
    private static final int SIZE_LIMIT = 512 * 1024;

    private JwksSource() {
    }

    static JWKSource<SecurityContext> of(String location) {
        URL url = toUrl(location);
        ResourceRetriever retriever = "file".equals(url.getProtocol())
                ? JwksSource::readFile
                : new DefaultResourceRetriever(TIMEOUT_MILLIS, TIMEOUT_MILLIS, SIZE_LIMIT);
        return JWKSourceBuilder.create(url, retriever).retrying(true).build();
    }

    private static Resource readFile(URL url) throws IOException {
        try {
            return new Resource(Files.readString(Path.of(url.toURI())), "application/json");
        } catch (URISyntaxException e) {
            throw new IOException("Bad JWKS file URL " + url, e);
        }
    }

    private static URL toUrl(String location) {
        try {
            if (location.startsWith("http://") || location.startsWith("https://") || location.startsWith("file:")) {
                return new URL(location);
            }
            return Path.of(location).toAbsolutePath().toUri().toURL();
        } catch (MalformedURLException e) {
            throw new IllegalArgumentException("registry.jwt.jwks is neither a file path nor a URL: " + location, e);
        }
    }
}
