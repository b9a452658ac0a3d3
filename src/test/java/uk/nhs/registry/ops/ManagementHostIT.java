package uk.nhs.registry.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import uk.nhs.registry.testsupport.RunningRegistry;

/**
 * The management port (plain HTTP, no token) follows registry.http.host unless
 * camel.management.host is set: an API bound to loopback does not leave health and metrics open
 * on every interface. Runs its own registry with camel.management.host left to its default.
 */
class ManagementHostIT {

    private static RunningRegistry registry;

    @BeforeAll
    static void start() {
        Map<String, String> overrides = new HashMap<>();
        overrides.put("camel.management.host", null); // application.properties decides
        registry = RunningRegistry.start(overrides);
    }

    @AfterAll
    static void stop() {
        registry.close();
    }

    @Test
    void theManagementPortListensWhereTheApiDoes() throws IOException {
        assertThat(registry.management("/observe/health/live").statusCode()).isEqualTo(200);

        InetAddress other = nonLoopbackAddress().orElse(null);
        Assumptions.assumeTrue(other != null, "this machine has no non-loopback IPv4 address to try");
        try (Socket api = new Socket()) {
            // the API itself (registry.http.host = 127.0.0.1 in tests) is not on that address either
            assertThatThrownBy(() -> api.connect(new InetSocketAddress(other, registry.port()), 2_000)).isInstanceOf(IOException.class);
        }
        try (Socket management = new Socket()) {
            assertThatThrownBy(() -> management.connect(new InetSocketAddress(other, registry.managementPort()), 2_000))
                    .isInstanceOf(IOException.class);
        }
    }

    private static Optional<InetAddress> nonLoopbackAddress() throws IOException {
        return NetworkInterface.networkInterfaces().filter(i -> {
            try {
                return i.isUp() && !i.isLoopback();
            } catch (IOException e) {
                return false;
            }
        }).flatMap(NetworkInterface::inetAddresses).filter(a -> a instanceof Inet4Address && !a.isLoopbackAddress()).findFirst();
    }
}
