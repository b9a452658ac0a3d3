package uk.nhs.registry.ingest;

/**
 * Exchange properties and message headers of the feed route. Properties for state, so that
 * nothing a sender puts in a message header can set them; headers only for what the registry
 * hands to the dead-letter endpoint and the reply.
 */
public final class IngestExchange {

    /** The payload exactly as it arrived (String or byte[]), for the dead-letter endpoint. */
    public static final String ORIGINAL_PAYLOAD = "registryIngestOriginalPayload";
    /** The Appointment parsed by the shared parser, before content-based routing. */
    public static final String APPOINTMENT = "registryIngestAppointment";
    /** True when the message was applied by an earlier delivery: nothing is written again. */
    public static final String ALREADY_APPLIED = "registryIngestAlreadyApplied";
    /** The rejection's OperationOutcome as JSON, for the reply and a file dead-letter endpoint. */
    public static final String OUTCOME_JSON = "registryIngestOutcomeJson";

    /** Header on dead letters and replies: the HTTP status the same request would have got. */
    public static final String STATUS_HEADER = "RegistryStatus";
    /** Header on dead letters and rejection replies: the Spine code of the first issue. */
    public static final String SPINE_CODE_HEADER = "RegistrySpineCode";
    /** Header on dead letters and rejection replies: the OperationOutcome as JSON. */
    public static final String OUTCOME_HEADER = "RegistryOperationOutcome";
    /** Header on dead letters and replies: the id the write is (or would have been) recorded under. */
    public static final String REQUEST_ID_HEADER = "RegistryRequestId";
    /** Header on replies to applied messages: Appointment/{id}/_history/{version}. */
    public static final String LOCATION_HEADER = "RegistryLocation";

    private IngestExchange() {
    }
}
