package uk.nhs.registry.format;

import javax.xml.stream.Location;
import javax.xml.stream.XMLStreamException;

/**
 * Where in an XML body a parser gave up, for a message in the registry's own words: the StAX
 * location travels in the cause chain of HAPI's exception, its message (which names parser
 * internals) does not reach a client.
 */
final class XmlLocation {

    private XmlLocation() {
    }

    /** " at line L, column C" when the failure carries a StAX location, else "". */
    static String of(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof XMLStreamException xml && xml.getLocation() != null) {
                Location location = xml.getLocation();
                if (location.getLineNumber() > 0) {
                    return " at line " + location.getLineNumber() + ", column " + location.getColumnNumber();
                }
            }
        }
        return "";
    }
}
