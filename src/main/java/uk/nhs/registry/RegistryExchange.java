package uk.nhs.registry;

/**
 * Names of the exchange properties that carry the registry's state through a route. Properties,
 * not headers, so that nothing a client sends as an HTTP header can set them.
 */
public final class RegistryExchange {

    /** The request id (X-Request-Id, or the feed message id): logged, audited, echoed. */
    public static final String REQUEST_ID = "registryRequestId";
    /** The client's own X-Request-Id when the registry had to replace it. */
    public static final String CORRELATION_ID = "registryCorrelationId";
    /** The {@link uk.nhs.registry.security.Caller} a write is recorded against. */
    public static final String CALLER = "registryCaller";
    /**
     * The {@link uk.nhs.registry.store.Flavour} a request came by: STU3 at [base], R4 at [base-r4]
     * (CONTRACT §7). Set once by the request preparation; the routes choose the flavour's steps by it.
     */
    public static final String FLAVOUR = "registryFlavour";
    /** The interaction a request asks for (see {@link uk.nhs.registry.http.FhirInteraction}). */
    public static final String INTERACTION = "registryInteraction";
    /** The appointment id named by the URL, or by the feed message's `id`. */
    public static final String APPOINTMENT_ID = "registryAppointmentId";
    /** The version named by a vread URL. */
    public static final String VERSION_ID = "registryVersionId";
    /** The version a cancel expects to replace (If-Match, or the feed message's meta.versionId). */
    public static final String EXPECTED_VERSION = "registryExpectedVersion";
    /** The {@link uk.nhs.registry.format.FhirFormat} the response is written in. */
    public static final String RESPONSE_FORMAT = "registryResponseFormat";
    /** The {@link uk.nhs.registry.format.FhirFormat} the request body is in. */
    public static final String REQUEST_FORMAT = "registryRequestFormat";
    /**
     * The {@link uk.nhs.registry.outcome.Rejection} a request or feed message was answered with,
     * for the steps after the answer (audit of rejected writes, metrics by Spine code).
     */
    public static final String REJECTION = "registryRejection";

    private RegistryExchange() {
    }
}
