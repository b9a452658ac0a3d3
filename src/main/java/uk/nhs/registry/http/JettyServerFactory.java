package uk.nhs.registry.http;

import java.util.List;
import java.util.Map;
import org.apache.camel.component.jetty.JettyHttpEndpoint;
import org.apache.camel.http.common.CamelServlet;
import org.apache.camel.component.jetty12.JettyHttpComponent12;
import org.apache.camel.support.jsse.FilterParameters;
import org.apache.camel.support.jsse.KeyManagersParameters;
import org.apache.camel.support.jsse.KeyStoreParameters;
import org.apache.camel.support.jsse.SSLContextParameters;
import org.apache.camel.support.jsse.SSLContextServerParameters;
import org.apache.camel.support.jsse.SecureSocketProtocolsParameters;
import org.apache.camel.support.jsse.TrustManagersParameters;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.server.AbstractConnector;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.NetworkConnectionLimit;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.util.ssl.SslContextFactory;

/**
 * The Jetty component the FHIR endpoint runs on: TLS 1.2/1.3 only, and a client certificate that
 * chains to the trust store REQUIRED (the handshake fails without one). Jetty applies its own
 * SslContextFactory settings over the SSLContext Camel builds, so client authentication and the
 * protocol list are set on both.
 */
public final class JettyServerFactory {

    /**
     * The name the component is bound under, and the scheme of the FHIR route's endpoint: a name of
     * the registry's own, so that inside a hub's CamelContext it neither replaces nor picks up the
     * hub's own {@code jetty} component.
     */
    public static final String COMPONENT_NAME = "appointment-registry-jetty";

    private static final List<String> PROTOCOLS = List.of("TLSv1.3", "TLSv1.2");
    private static final int REQUEST_HEADER_BYTES = 16 * 1024;

    private JettyServerFactory() {
    }

    /**
     * What one client can hold of the transport: the time a TLS handshake may take
     * ({@code registry.http.tls-handshake-timeout-ms}) and the open connections of all clients
     * together ({@code registry.http.max-connections}; at the cap Jetty stops accepting until one closes).
     */
    public record TransportLimits(long tlsHandshakeTimeoutMillis, int maxConnections) {

        public static final TransportLimits DEFAULT = new TransportLimits(5_000, 500);
    }

    public static JettyHttpComponent12 mutualTls(String keystore, String keystorePassword, String truststore,
            String truststorePassword, TransportLimits limits) {
        SSLContextParameters tls = new SSLContextParameters();
        KeyManagersParameters keys = new KeyManagersParameters();
        keys.setKeyStore(pkcs12(keystore, keystorePassword));
        keys.setKeyPassword(keystorePassword);
        tls.setKeyManagers(keys);
        TrustManagersParameters trust = new TrustManagersParameters();
        trust.setKeyStore(pkcs12(truststore, truststorePassword));
        tls.setTrustManagers(trust);
        SSLContextServerParameters server = new SSLContextServerParameters();
        server.setClientAuthentication("REQUIRE");
        tls.setServerParameters(server);
        SecureSocketProtocolsParameters protocols = new SecureSocketProtocolsParameters();
        protocols.setSecureSocketProtocol(PROTOCOLS);
        tls.setSecureSocketProtocols(protocols);
        FilterParameters protocolFilter = new FilterParameters();
        protocolFilter.getInclude().addAll(PROTOCOLS);
        tls.setSecureSocketProtocolsFilter(protocolFilter);

        JettyHttpComponent12 jetty = plain(limits);
        jetty.setSslContextParameters(tls);
        jetty.setSslSocketConnectorProperties(Map.of("needClientAuth", true));
        return jetty;
    }

    /** Plain HTTP, for a hub that terminates TLS in front of the registry. */
    public static JettyHttpComponent12 plain(TransportLimits limits) {
        JettyHttpComponent12 jetty = new RegistryJetty(limits);
        jetty.setRequestHeaderSize(REQUEST_HEADER_BYTES);
        // What Jetty refuses itself (431, ambiguous URIs, ...) is answered with an OperationOutcome too.
        jetty.setErrorHandler(new OperationOutcomeErrorHandler());
        return jetty;
    }

    /**
     * Jetty with the registry's transport limits, and without two caches that cost the registry
     * more than they save.
     */
    private static final class RegistryJetty extends JettyHttpComponent12 {

        private final TransportLimits limits;

        RegistryJetty(TransportLimits limits) {
            this.limits = limits;
        }

        /**
         * Jetty learns the header lines a connection repeats and looks every new line up in that
         * cache byte by byte; with a bearer token of ~1 KB on each request that lookup was ~5% of
         * the CPU of a registration, for no gain (the token is parsed anyway).
         */
        @Override
        protected AbstractConnector createConnectorJettyInternal(Server server, JettyHttpEndpoint endpoint,
                SslContextFactory.Server sslcf) {
            AbstractConnector connector = super.createConnectorJettyInternal(server, endpoint, sslcf);
            connector.getConnectionFactory(HttpConnectionFactory.class).getHttpConfiguration().setHeaderCacheSize(0);
            // Clients without a certificate cannot hold sockets: a handshake has a deadline, and
            // the connections all clients hold together are capped (Jetty's own limit).
            connector.addBean(new TlsHandshakeDeadline(connector.getScheduler(), limits.tlsHandshakeTimeoutMillis()));
            server.addBean(new NetworkConnectionLimit(limits.maxConnections(), connector));
            return connector;
        }

        /**
         * Jetty caches the filter chain of every request path, up to 1,024 paths, then drops them
         * all. Nearly every registry path is new (it names an appointment), so the cache only held
         * each chain for about a second: long enough to reach the old generation, where they added
         * to the garbage that ends in a full collection. Built per request, a chain dies young.
         */
        @Override
        protected CamelServlet createServletForConnector(Server server, Connector connector, List<Handler> handlers,
                JettyHttpEndpoint endpoint) throws Exception {
            CamelServlet servlet = super.createServletForConnector(server, connector, handlers, endpoint);
            server.getDescendant(ServletContextHandler.class).getServletHandler().setFilterChainsCached(false);
            return servlet;
        }
    }

    private static KeyStoreParameters pkcs12(String path, String password) {
        KeyStoreParameters store = new KeyStoreParameters();
        store.setResource(path.contains(":") && !path.matches("^[A-Za-z]:\\\\.*") ? path : "file:" + path);
        store.setPassword(password);
        store.setType("PKCS12");
        return store;
    }
}
