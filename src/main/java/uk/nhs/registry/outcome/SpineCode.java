package uk.nhs.registry.outcome;

/**
 * The codes of https://fhir.nhs.uk/STU3/CodeSystem/Spine-ErrorOrWarningCode-1 that the registry
 * answers with, spelled and displayed exactly as the code system does (note "ACCESS DENIED").
 */
public enum SpineCode {
    BAD_REQUEST("BAD_REQUEST", "Bad request"),
    INVALID_RESOURCE("INVALID_RESOURCE", "Invalid validation of resource"),
    INVALID_NHS_NUMBER("INVALID_NHS_NUMBER", "Invalid NHS number"),
    INVALID_PARAMETER("INVALID_PARAMETER", "Invalid parameter"),
    INVALID_IDENTIFIER_SYSTEM("INVALID_IDENTIFIER_SYSTEM", "Invalid identifier system"),
    INVALID_IDENTIFIER_VALUE("INVALID_IDENTIFIER_VALUE", "Invalid identifier value"),
    INVALID_REQUEST_MESSAGE("INVALID_REQUEST_MESSAGE", "Invalid request message"),
    MESSAGE_NOT_WELL_FORMED("MESSAGE_NOT_WELL_FORMED", "Message not well formed"),
    MSG_RESOURCE_ID_FAIL("MSG_RESOURCE_ID_FAIL", "Client is not permitted to assign an id"),
    DUPLICATE_REJECTED("DUPLICATE_REJECTED", "Create would lead to creation of a duplicate resource"),
    NO_RECORD_FOUND("NO_RECORD_FOUND", "No record found"),
    FHIR_CONSTRAINT_VIOLATION("FHIR_CONSTRAINT_VIOLATION", "FHIR constraint violated"),
    PRECONDITION_FAILED("PRECONDITION_FAILED", "Precondition failed"),
    MISSING_OR_INVALID_HEADER("MISSING_OR_INVALID_HEADER", "There is a required header missing or invalid"),
    ACCESS_DENIED("ACCESS DENIED", "Access has been denied to process this request"),
    UNSUPPORTED_MEDIA_TYPE("UNSUPPORTED_MEDIA_TYPE", "Unsupported media type"),
    INVALID_REQUEST_TYPE("INVALID_REQUEST_TYPE", "The type of request is not supported by the API call"),
    NOT_IMPLEMENTED("NOT_IMPLEMENTED", "Not implemented"),
    RESOURCE_CREATED("RESOURCE_CREATED", "New resource created"),
    RESOURCE_UPDATED("RESOURCE_UPDATED", "Resource has been successfully updated"),
    RESOURCE_DELETED("RESOURCE_DELETED", "Resource removed"),
    INTERNAL_SERVER_ERROR("INTERNAL_SERVER_ERROR", "Unexpected internal server error");

    public static final String SYSTEM = "https://fhir.nhs.uk/STU3/CodeSystem/Spine-ErrorOrWarningCode-1";

    private final String code;
    private final String display;

    SpineCode(String code, String display) {
        this.code = code;
        this.display = display;
    }

    public String code() {
        return code;
    }

    public String display() {
        return display;
    }
}
