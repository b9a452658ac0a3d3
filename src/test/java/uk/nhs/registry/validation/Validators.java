package uk.nhs.registry.validation;

import java.nio.file.Path;
import java.util.Optional;

/** Validators are expensive, as in production: each kind is built once per test JVM. */
final class Validators {

    /** Resolved from the worktree root, where Maven runs the tests; shared/ sits beside the project. */
    static final Path SHARED_PROFILES = Path.of("..", "shared", "profiles");

    private static ProfileValidator shipped;
    private static ProfileValidator withSharedProfiles;

    private Validators() {
    }

    static synchronized ProfileValidator shipped() {
        if (shipped == null) {
            shipped = new ProfileValidator(Optional.empty());
            shipped.warmUp();
        }
        return shipped;
    }

    static synchronized ProfileValidator withSharedProfiles() {
        if (withSharedProfiles == null) {
            withSharedProfiles = new ProfileValidator(Optional.of(SHARED_PROFILES));
            withSharedProfiles.warmUp();
        }
        return withSharedProfiles;
    }
}
