package uk.nhs.registry.security.dev;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DevInstructionsTest {

    @TempDir
    static Path tmp;

    static DevMaterial dev;

    @BeforeAll
    static void material() {
        dev = DevMaterial.ensure(tmp.resolve("dev"));
    }

    @Test
    void curlLinesUseTheMaterialAndTheToken() {
        String text = DevInstructions.curlExample(dev, "https://localhost:8443/fhir/", "aaa.bbb.ccc");

        assertThat(text).contains("--cert " + DevInstructions.quote(dev.clientCertPem().toString()))
                .contains("--key " + DevInstructions.quote(dev.clientKeyPem().toString()))
                .contains("--cacert " + DevInstructions.quote(dev.caPem().toString()))
                .contains("-H 'Authorization: Bearer aaa.bbb.ccc'")
                .contains(" https://localhost:8443/fhir/metadata\n")
                .contains(" 'https://localhost:8443/fhir/Appointment?patient.identifier="
                        + "https://fhir.nhs.uk/Id/nhs-number%7C9434765919'\n")
                .contains("java -jar target/appointment-registry.jar mint-token --dir ")
                .doesNotContain("$TOKEN");
        assertThat(text.lines().filter(line -> line.startsWith("curl "))).hasSize(2);
    }

    @Test
    void withoutTokenTheTextMintsOne() {
        String text = DevInstructions.curlExample(dev, "https://localhost:8443/fhir", null);
        assertThat(text).contains("TOKEN=\"$(java -jar target/appointment-registry.jar mint-token --dir ")
                .contains("-H \"Authorization: Bearer $TOKEN\"");
    }

    @Test
    void onAnotherPortTheMintLineNamesTheAudienceSoItsTokensAreAccepted() {
        String moved = DevInstructions.curlExample(dev, "https://localhost:28443/fhir", "https://localhost:28443/fhir", null);
        assertThat(moved).contains(" https://localhost:28443/fhir/metadata\n")
                .contains("mint-token --dir " + DevInstructions.quote(dev.dir().toAbsolutePath().normalize().toString())
                        + " --audience https://localhost:28443/fhir");

        String usual = DevInstructions.curlExample(dev, "https://localhost:8443/fhir", MintTokenCommand.DEFAULT_AUDIENCE, null);
        assertThat(usual).doesNotContain("--audience");
    }

    @Test
    void quotingIsShellSafe() {
        assertThat(DevInstructions.quote("/plain/path.pem")).isEqualTo("/plain/path.pem");
        assertThat(DevInstructions.quote("/with space/x")).isEqualTo("'/with space/x'");
        assertThat(DevInstructions.quote("it's")).isEqualTo("'it'\\''s'");
        assertThat(DevInstructions.quote("a|b&c")).isEqualTo("'a|b&c'");
        assertThat(DevInstructions.quote("")).isEqualTo("''");
    }
}
