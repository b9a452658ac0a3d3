package uk.nhs.registry;

import java.util.Arrays;
import org.apache.camel.main.Main;
import uk.nhs.registry.security.dev.MintTokenCommand;

/**
 * Starts the registry: `java -jar appointment-registry.jar`. The one sub-command,
 * `mint-token`, prints a development token signed with the key under ./data/dev.
 */
public final class RegistryApplication {

    private RegistryApplication() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && "mint-token".equals(args[0])) {
            System.exit(MintTokenCommand.run(Arrays.copyOfRange(args, 1, args.length), System.out, System.err));
        }
        newMain().run(args);
    }

    /** The registry as `java -jar` runs it (tests start this same Main in their own JVM). */
    public static Main newMain() {
        Main main = new Main();
        main.configure().addConfiguration(RegistryConfiguration.class);
        main.addMainListener(new PortEnvironmentVariables());
        main.addMainListener(new StartupSummary());
        return main;
    }
}
