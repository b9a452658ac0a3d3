package uk.nhs.registry.store;

/**
 * The database failed in a way the registry did not anticipate. Its message and cause are for the
 * log only; the HTTP layer answers it with a generic 500.
 */
public class StoreException extends RuntimeException {

    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
