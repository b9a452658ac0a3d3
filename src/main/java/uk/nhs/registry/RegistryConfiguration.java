package uk.nhs.registry;

import java.time.Clock;
import java.time.ZoneId;
import java.util.function.Function;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.spi.Registry;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import uk.nhs.registry.appointments.AppointmentRegistry;
import uk.nhs.registry.capability.CapabilityStatementFactory;
import uk.nhs.registry.format.AppointmentParser;
import uk.nhs.registry.format.FhirFormat;
import uk.nhs.registry.http.AppointmentBodyReader;
import uk.nhs.registry.http.CancelRequestReader;
import uk.nhs.registry.http.FhirInteraction;
import uk.nhs.registry.http.FhirResponseWriter;
import uk.nhs.registry.http.JettyServerFactory;
import uk.nhs.registry.http.OperationOutcomeResponder;
import uk.nhs.registry.http.RejectedWriteAudit;
import uk.nhs.registry.http.RequestPreparation;
import uk.nhs.registry.http.ResponseHeaderPolicy;
import uk.nhs.registry.http.SearchParameters;
import uk.nhs.registry.http.SearchRequest;
import uk.nhs.registry.http.TokenCheck;
import uk.nhs.registry.ops.Operations;
import uk.nhs.registry.security.CallerPolicy;
import uk.nhs.registry.security.OAuth2TokenVerifier;
import uk.nhs.registry.security.SpineTokenVerifier;
import uk.nhs.registry.security.TokenVerifier;
import uk.nhs.registry.security.dev.DevMaterial;
import uk.nhs.registry.store.AppointmentStore;
import uk.nhs.registry.store.AuditTrail;
import uk.nhs.registry.store.RegistryDatabase;
import uk.nhs.registry.validation.AppointmentRules;
import uk.nhs.registry.validation.ProfileValidator;
import uk.nhs.registry.validation.MedtechAppointmentRules;
import uk.nhs.registry.validation.R4ProfileValidator;
import uk.nhs.registry.appointments.MedtechAppointments;
import uk.nhs.registry.capability.R4CapabilityStatementFactory;
import uk.nhs.registry.format.R4AppointmentParser;
import uk.nhs.registry.http.R4ResponseWriter;
import uk.nhs.registry.http.R4SearchParameters;
import uk.nhs.registry.http.R4SearchRequest;
import uk.nhs.registry.store.Flavour;

/**
 * Binds the registry's parts into Camel's registry under the names the route files use. Runs
 * before the routes start, so the database is migrated and the validator warm before the port opens.
 */
public final class RegistryConfiguration implements CamelConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger(RegistryConfiguration.class);

    // Karaf: the OSGi entry point binds the same beans, but may hand over a DataSource
    // the hub publishes as a service instead of opening a pool from registry.db.url.
    private final Function<RegistrySettings, RegistryDatabase> databases;

    public RegistryConfiguration() {
        this(RegistryConfiguration::openDatabase);
    }

    public RegistryConfiguration(Function<RegistrySettings, RegistryDatabase> databases) {
        this.databases = databases;
    }

    private static RegistryDatabase openDatabase(RegistrySettings settings) {
        return RegistryDatabase.open(settings.dbUrl(), settings.dbUser(), settings.dbPassword(), settings.dbPoolSize());
    }

    @Override
    public void configure(CamelContext context) throws Exception {
        RegistrySettings settings = RegistrySettings.load(context.getPropertiesComponent());
        Registry registry = context.getRegistry();
        // First, so that it also overlaps the creation of development material (RSA key generation
        // on a first start). It opens nothing; if the configuration below is refused, the daemon
        // thread finishes its build and the result is dropped.
        Future<ProfileValidator> validatorBuild = buildInBackground("profile-validator-build", () -> {
            ProfileValidator validator = new ProfileValidator(settings.profilesDir());
            validator.warmUp();
            return validator;
        });
        // The medTech flavour's R4 validator, on a thread of its own beside the STU3 one (CONTRACT §7).
        RegistrySettings.R4 r4 = RegistrySettings.R4.load(context.getPropertiesComponent(), settings);
        Future<R4ProfileValidator> r4ValidatorBuild = r4.enabled() ? buildInBackground("r4-profile-validator-build", () -> {
            R4ProfileValidator validator = new R4ProfileValidator();
            validator.warmUp();
            return validator;
        }) : CompletableFuture.completedFuture(null);
        EnumNameConverters.register(context.getTypeConverterRegistry(), FhirInteraction.class, FhirFormat.class, Flavour.class);
        DevMaterial dev = settings.usesDevTls() || settings.usesDevJwks() ? DevMaterial.ensure(settings.devDir()) : null;
        // The token profile is settled before anything is opened, so a refused
        // configuration (spine without client certificates) leaves nothing open behind it.
        RegistrySettings.Security security = RegistrySettings.Security.load(context.getPropertiesComponent());
        TokenVerifier tokenVerifier = tokenVerifier(settings, security, dev);
        CallerPolicy callerPolicy = new CallerPolicy(security.allowedOrganisations(), security.allowedCertificateSubjects());

        RegistryDatabase database = databases.apply(settings);
        context.addService(new CloseOnStop(database));
        ProfileValidator validator = await(validatorBuild);
        R4ProfileValidator r4Validator = await(r4ValidatorBuild);
        // metrics, access log, readiness checks; the management server is camel-main's.
        Operations operations = Operations.install(context, database.dataSource());
        operations.validatorWarm();

        RegistrySettings.Limits limits = RegistrySettings.Limits.load(context.getPropertiesComponent());
        uk.nhs.registry.outcome.OperationOutcomes.limitIssues(limits.maxIssues());
        AppointmentParser parser = new AppointmentParser(security.maxStringLength(), limits.maxRepeats(), limits.maxElements());
        AppointmentBodyReader bodyReader = new AppointmentBodyReader(settings.maxBodyBytes(), parser);
        registry.bind("appointmentRegistry.appointmentParser", parser);
        registry.bind("appointmentRegistry.appointments",
                new AppointmentRegistry(new AppointmentRules(validator), new AppointmentStore(database.dataSource()),
                        operations.metrics()));
        registry.bind("appointmentRegistry.requestPreparation",
                new RequestPreparation(limits.maxCorrelationIdLength(), r4.enabled()));
        // allow-lists and the rejected-write audit
        registry.bind("appointmentRegistry.tokenCheck", new TokenCheck(tokenVerifier, callerPolicy));
        registry.bind("appointmentRegistry.rejectedWriteAudit", new RejectedWriteAudit(new AuditTrail(database.dataSource())));
        registry.bind("appointmentRegistry.appointmentBodyReader", bodyReader);
        registry.bind("appointmentRegistry.cancelRequestReader", CancelRequestReader.ifMatchRequired(bodyReader));
        registry.bind("appointmentRegistry.searchRequest", new SearchRequest(new SearchParameters(ZoneId.of(settings.searchTimeZone())),
                Clock.systemUTC()));
        registry.bind("appointmentRegistry.fhirResponseWriter", new FhirResponseWriter(settings.baseUrl()));
        registry.bind("appointmentRegistry.operationOutcomeResponder", new OperationOutcomeResponder());
        registry.bind("appointmentRegistry.responseHeaderPolicy", new ResponseHeaderPolicy());
        registry.bind("appointmentRegistry.capabilityStatement", CapabilityStatementFactory.create(settings.baseUrl(), version()));
        bindR4(registry, settings, security, limits, r4, r4Validator, database, operations);
        // the message feed of CONTRACT §3 (routes/ingest.yaml; no feed unless registry.ingest.uri is set)
        uk.nhs.registry.ingest.IngestConfiguration.configure(context, parser, database.dataSource(), operations.metrics());
        // expiry, CONTRACT §6 (routes/expiry.yaml; not scheduled unless an age is set)
        uk.nhs.registry.expiry.ExpiryConfiguration.configure(context, database.dataSource(), operations.metrics());

        context.getPropertiesComponent().addOverrideProperty("registry.http.scheme", settings.httpScheme());
        JettyServerFactory.TransportLimits transport = new JettyServerFactory.TransportLimits(
                limits.tlsHandshakeTimeoutMillis(), limits.maxConnections());
        if (settings.tlsEnabled()) {
            boolean devTls = settings.usesDevTls();
            if (!devTls && settings.truststore().isBlank()) {
                throw new IllegalArgumentException("registry.tls.keystore is set but registry.tls.truststore is not:"
                        + " client certificates cannot be checked without the CAs that issue them.");
            }
            String devPassword = devTls ? new String(dev.password()) : null;
            String keystore = devTls ? dev.serverKeystore().toString() : settings.keystore();
            String keyPassword = devTls ? devPassword : settings.keystorePassword();
            String truststore = devTls ? dev.truststore().toString() : settings.truststore();
            String trustPassword = devTls ? devPassword : settings.truststorePassword();
            registry.bind(JettyServerFactory.COMPONENT_NAME, JettyServerFactory.mutualTls(keystore, keyPassword, truststore, trustPassword,
                    transport));
        } else {
            LOG.warn("registry.tls.enabled=false: the FHIR API listens on PLAIN HTTP. Only do this behind a hub that"
                    + " terminates mutual TLS in front of the registry.");
            registry.bind(JettyServerFactory.COMPONENT_NAME, JettyServerFactory.plain(transport));
        }
        LOG.info("Appointment Registry: base {} on {}:{} ({}), token profile {}, database {}, dev material {}",
                settings.baseUrl(), settings.httpHost(), settings.httpPort(),
                settings.tlsEnabled() ? "mutual TLS" : "plain HTTP", settings.jwtProfile(),
                withoutParameters(settings.dbUrl()), dev == null ? "not used" : settings.devDir());
        if (dev != null) {
            context.addStartupListener(new DevInstructionsPrinter(dev, settings));
        }
    }

    /**
     * The medTech flavour's beans (CONTRACT §7), used by the route direct:fhir-r4. They are bound
     * even when the flavour is off, because the route file names them; then no request is ever
     * routed to them (RequestPreparation keeps every request STU3) and no R4 validator is built.
     */
    private static void bindR4(Registry registry, RegistrySettings settings, RegistrySettings.Security security,
            RegistrySettings.Limits limits, RegistrySettings.R4 r4, R4ProfileValidator r4Validator, RegistryDatabase database, Operations operations) {
        AppointmentBodyReader r4BodyReader = AppointmentBodyReader.forR4(settings.maxBodyBytes(),
                new R4AppointmentParser(security.maxStringLength(), limits.maxRepeats(), limits.maxElements()));
        registry.bind("appointmentRegistry.r4Appointments", new MedtechAppointments(new MedtechAppointmentRules(r4Validator),
                new AppointmentStore(database.dataSource(), Flavour.R4), operations.metrics()));
        registry.bind("appointmentRegistry.r4BodyReader", r4BodyReader);
        registry.bind("appointmentRegistry.r4CancelRequestReader", CancelRequestReader.ifMatchOptional(r4BodyReader));
        registry.bind("appointmentRegistry.r4SearchRequest",
                new R4SearchRequest(new R4SearchParameters(ZoneId.of(r4.searchTimeZone()))));
        registry.bind("appointmentRegistry.r4ResponseWriter", new R4ResponseWriter(r4.baseUrl()));
        registry.bind("appointmentRegistry.r4CapabilityStatement", R4CapabilityStatementFactory.create(r4.baseUrl(), version()));
        if (r4.enabled()) {
            LOG.info("medTech flavour (FHIR R4) at {}", r4.baseUrl());
        } else {
            LOG.info("medTech flavour (FHIR R4) is off{}", "spine".equals(settings.jwtProfile()) ? " (spine token profile)" : "");
        }
    }

    /**
     * Builds and warms a profile validator on a thread of its own. It is the longest step of
     * start-up (the FHIR core definitions are parsed and converted: seconds of CPU) and needs
     * nothing from the database, TLS or token set-up, so those run meanwhile. It is awaited
     * before any route starts, so an open port still means a warm validator.
     */
    private static <T> Future<T> buildInBackground(String threadName, java.util.concurrent.Callable<T> build) {
        CompletableFuture<T> result = new CompletableFuture<>();
        Thread builder = new Thread(() -> {
            try {
                result.complete(build.call());
            } catch (Throwable e) {
                result.completeExceptionally(e);
            }
        }, threadName);
        builder.setDaemon(true);
        builder.start();
        return result;
    }

    /** The built validator, or the failure that stopped it, as if it had been built on this thread. */
    private static <T> T await(Future<T> build) throws Exception {
        try {
            return build.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Exception cause) {
                throw cause;
            }
            throw (Error) e.getCause();
        }
    }

    private static TokenVerifier tokenVerifier(RegistrySettings settings, RegistrySettings.Security security,
            DevMaterial dev) {
        if ("spine".equals(settings.jwtProfile())) {
            // Spine tokens are unsigned: only the client certificate proves who sent the request.
            if (!settings.tlsEnabled()) {
                throw new IllegalArgumentException("registry.jwt.profile=spine accepts unsigned tokens, which is only safe"
                        + " while the registry itself requires client certificates; it cannot be used with"
                        + " registry.tls.enabled=false. Use the oauth2 profile behind a TLS-terminating hub.");
            }
            return new SpineTokenVerifier(settings.jwtAudience(), settings.clockSkewSeconds());
        }
        if (!"oauth2".equals(settings.jwtProfile())) {
            throw new IllegalArgumentException("registry.jwt.profile must be oauth2 or spine; got '" + settings.jwtProfile() + "'");
        }
        String jwks = settings.usesDevJwks() ? dev.jwks().toString() : settings.jwks();
        return new OAuth2TokenVerifier(jwks, settings.jwtIssuer(), settings.jwtAudience(), settings.scopeClaim(),
                settings.readScope(), settings.writeScope(), settings.clockSkewSeconds(), security.organisationClaim());
    }

    /** A JDBC URL for the log: parameters can hold credentials, so they are left out. */
    private static String withoutParameters(String jdbcUrl) {
        return jdbcUrl.split("[?;]", 2)[0];
    }

    private static String version() {
        String version = RegistryConfiguration.class.getPackage().getImplementationVersion();
        return version == null ? "development" : version;
    }

    /** Closes the connection pool after the routes have stopped. */
    private static final class CloseOnStop extends ServiceSupport {
        private final AutoCloseable resource;

        CloseOnStop(AutoCloseable resource) {
            this.resource = resource;
        }

        @Override
        protected void doStop() throws Exception {
            resource.close();
        }
    }
}
