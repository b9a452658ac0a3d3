package uk.nhs.registry.testsupport;

/**
 * One registry for every HTTP test class of a test run: starting it (migrations, validator warm-up,
 * TLS) is the slow part, and the tests never depend on each other's data.
 */
public final class SharedRegistry {

    private static RunningRegistry instance;

    private SharedRegistry() {
    }

    public static synchronized RunningRegistry get() {
        if (instance == null) {
            instance = RunningRegistry.start();
            Runtime.getRuntime().addShutdownHook(new Thread(instance::close));
        }
        return instance;
    }
}
