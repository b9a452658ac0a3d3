package uk.nhs.registry.ingest;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/**
 * Waits for something asynchronous (a message travelling through a broker) with a generous upper
 * bound so a broken build fails instead of hanging. Not a timing assertion: the bound is only
 * reached when the awaited state never comes.
 */
final class Eventually {

    private Eventually() {
    }

    static void await(String what, Duration atMost, BooleanSupplier condition) {
        long deadline = System.nanoTime() + atMost.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("gave up waiting " + atMost.toSeconds() + " s for: " + what);
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while waiting for: " + what);
            }
        }
    }
}
