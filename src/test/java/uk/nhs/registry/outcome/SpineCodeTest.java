package uk.nhs.registry.outcome;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

class SpineCodeTest {

    private static final Path CODE_SYSTEM = Path.of("..", "shared", "profiles", "CodeSystem-Spine-ErrorOrWarningCode-1.xml");

    @Test
    void everyCodeAndDisplayIsTheCodeSystems() throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setNamespaceAware(true);
        factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
        Document doc = factory.newDocumentBuilder().parse(CODE_SYSTEM.toFile());

        assertThat(value(doc.getDocumentElement(), "url")).isEqualTo(SpineCode.SYSTEM);
        Map<String, String> displays = new HashMap<>();
        NodeList concepts = doc.getElementsByTagNameNS("http://hl7.org/fhir", "concept");
        for (int i = 0; i < concepts.getLength(); i++) {
            Element concept = (Element) concepts.item(i);
            displays.put(value(concept, "code"), value(concept, "display"));
        }
        assertThat(displays).hasSizeGreaterThan(SpineCode.values().length);
        for (SpineCode code : SpineCode.values()) {
            assertThat(displays).as(code.name()).containsEntry(code.code(), code.display());
        }
    }

    private static String value(Element parent, String child) {
        NodeList nodes = parent.getChildNodes();
        for (int i = 0; i < nodes.getLength(); i++) {
            if (nodes.item(i) instanceof Element e && child.equals(e.getLocalName())) {
                return e.getAttribute("value");
            }
        }
        return null;
    }
}
