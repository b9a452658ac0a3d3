package uk.nhs.registry.security;

/** What an interaction needs a token to grant. */
public enum Access {
    READ, WRITE
}
