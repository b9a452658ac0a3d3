package uk.nhs.registry;

import java.time.Duration;
import org.apache.camel.CamelContext;
import org.apache.camel.ExtendedStartupListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import uk.nhs.registry.security.dev.DevInstructions;
import uk.nhs.registry.security.dev.DevMaterial;
import uk.nhs.registry.security.dev.DevTokens;

/** Once the port is open on development material, prints how to call the registry. */
final class DevInstructionsPrinter implements ExtendedStartupListener {

    private static final Logger LOG = LoggerFactory.getLogger(DevInstructionsPrinter.class);

    private final DevMaterial dev;
    private final RegistrySettings settings;

    DevInstructionsPrinter(DevMaterial dev, RegistrySettings settings) {
        this.dev = dev;
        this.settings = settings;
    }

    @Override
    public void onCamelContextStarted(CamelContext context, boolean alreadyStarted) {
        // wait for fully started: the port is open then
    }

    @Override
    public void onCamelContextFullyStarted(CamelContext context, boolean alreadyStarted) {
        LOG.warn("Using DEVELOPMENT TLS and token material from {}: not for production.", settings.devDir());
        if (settings.usesDevJwks()) {
            String token = DevTokens.mint(dev.signingKeyJwk(), settings.jwtIssuer(), settings.jwtAudience(), "dev-client",
                    settings.readScope() + " " + settings.writeScope(), Duration.ofHours(1));
            System.out.println(DevInstructions.curlExample(dev, settings.baseUrl(), settings.jwtAudience(), token));
        }
    }
}
