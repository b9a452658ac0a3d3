package uk.nhs.registry.format;

import ca.uhn.fhir.context.BaseRuntimeChildDefinition;
import ca.uhn.fhir.context.BaseRuntimeElementCompositeDefinition;
import ca.uhn.fhir.context.BaseRuntimeElementDefinition;
import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.DataFormatException;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.hl7.fhir.dstu3.model.OperationOutcome.IssueType;
import uk.nhs.registry.outcome.BadRequestException;
import uk.nhs.registry.outcome.ClientText;
import uk.nhs.registry.outcome.SpineCode;
import uk.nhs.registry.outcome.UnprocessableEntityException;

/**
 * Reads FHIR JSON text strictly, once, before HAPI's parser builds the resource. HAPI's JSON parser
 * is lenient by design: the last of two equal keys wins, a one-element array stands in for a single
 * value, a number or boolean is taken as a string, and a JSON-escaped lone surrogate becomes a
 * string Java can hold but UTF-8 cannot (stored as '?'). Each of those would store something other
 * than what was validated, so each is refused here with a 400:
 * <ul>
 * <li>syntax, trailing content, nesting deeper than {@value #MAX_DEPTH} levels and duplicate keys:
 * Jackson's own strict features ({@link StreamReadConstraints}, {@code FAIL_ON_READING_DUP_TREE_KEY});</li>
 * <li>a property name or string holding a lone surrogate;</li>
 * <li>a JSON type that is not the one FHIR's JSON format gives the element (array for a repeating
 * element and only then, object for a complex type, string / number / boolean for a primitive as
 * its FHIR type says), taken from the element model of the given {@link FhirContext}, so any FHIR
 * version's resources are checked the same way.</li>
 * </ul>
 * A repeating element with more entries than the repeat limit is a 422, as {@link RepeatLimit} would
 * say after the parse. A property the model does not know is left to HAPI, which names it as an
 * unknown element.
 * Thread-safe: one instance serves every request.
 */
public final class StrictJson {

    /**
     * The deepest nesting accepted. A FHIR Appointment nests a few levels (an extension in an
     * extension in a participant is about 8); Jackson's own default (1,000) lets a body spend the
     * parser's stack and time on structure no resource has.
     */
    static final int MAX_DEPTH = 64;

    private static final ObjectMapper JSON = JsonMapper.builder(new com.fasterxml.jackson.core.JsonFactoryBuilder()
                    .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_DEPTH).build())
                    .build())
            .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
            .build();

    private static final Set<String> NUMBER_TYPES = Set.of("integer", "positiveInt", "unsignedInt", "decimal");

    private final FhirContext context;
    private final int maxRepeats;

    /**
     * @param maxRepeats the most entries of one repeating element ({@link RepeatLimit}'s limit):
     *     counted here already, so a body with 30,000 participants is refused before HAPI builds
     *     30,000 objects, not only before validation
     */
    public StrictJson(FhirContext context, int maxRepeats) {
        this.context = context;
        this.maxRepeats = maxRepeats;
    }

    /** Throws a {@link BadRequestException} unless the text is FHIR JSON read exactly as written. */
    public void check(String payload) {
        JsonNode root = tree(payload);
        if (root == null || !root.isObject()) {
            throw notWellFormed("The body is not a JSON object; send one FHIR resource.");
        }
        JsonNode type = root.get("resourceType");
        object(root, type != null && type.isTextual() ? definitionOf(type.textValue()) : null,
                type != null && type.isTextual() ? ClientText.quote(type.textValue()) : "");
    }

    private static JsonNode tree(String payload) {
        try (JsonParser parser = JSON.createParser(payload)) {
            JsonNode root;
            try {
                root = JSON.readTree(parser);
            } catch (StreamConstraintsException e) {
                throw notWellFormed("The JSON is nested or sized beyond what the registry reads (at most " + MAX_DEPTH
                        + " levels of nesting)" + at(e.getLocation()) + ".");
            } catch (JsonParseException e) {
                throw notWellFormed("The body is not well-formed JSON" + at(e.getLocation()) + ".");
            } catch (JsonProcessingException e) {
                // The syntax was read by then: what the tree reader refuses is a key repeated in one object.
                throw notWellFormed("A property name appears twice in one JSON object" + at(e.getLocation())
                        + "; each property may appear once.");
            }
            if (parser.nextToken() != null) {
                throw notWellFormed("The body goes on after the end of the resource" + at(parser.currentTokenLocation())
                        + "; send one JSON object.");
            }
            return root;
        } catch (JsonParseException e) {
            throw notWellFormed("The body is not well-formed JSON after the end of the resource" + at(e.getLocation()) + ".");
        } catch (IOException e) {
            throw notWellFormed("The body is not well-formed JSON.");
        }
    }

    private void object(JsonNode object, BaseRuntimeElementCompositeDefinition<?> definition, String path) {
        for (Iterator<Map.Entry<String, JsonNode>> fields = object.fields(); fields.hasNext(); ) {
            Map.Entry<String, JsonNode> field = fields.next();
            String name = field.getKey();
            String childPath = path.isEmpty() ? name : path + "." + name;
            text(name, childPath);
            member(definition, name, field.getValue(), childPath);
        }
    }

    private void member(BaseRuntimeElementCompositeDefinition<?> definition, String name, JsonNode value, String path) {
        if (name.equals("resourceType")) {
            if (!value.isTextual()) {
                throw wrongType(path, "a string", value);
            }
            return;
        }
        if (name.startsWith("_") && definition != null) {
            // A primitive's id and extensions: an object, or an array parallel to a repeating primitive.
            BaseRuntimeChildDefinition primitive = definition.getChildByName(name.substring(1));
            boolean repeats = primitive != null && primitive.getMax() != 1;
            if (repeats ? !value.isArray() : !value.isObject()) {
                throw wrongType(path, repeats ? "an array" : "an object", value);
            }
            untyped(value, path);
            return;
        }
        BaseRuntimeChildDefinition child = definition == null ? null : definition.getChildByName(name);
        if (child == null) {
            untyped(value, path);
            return;
        }
        BaseRuntimeElementDefinition<?> type = child.getChildByName(name);
        if (child.getMax() != 1) {
            if (!value.isArray()) {
                throw wrongType(path, "an array", value);
            }
            if (value.size() > maxRepeats) {
                throw new UnprocessableEntityException(List.of(RepeatLimit.tooMany(path, value.size(), maxRepeats)));
            }
            for (JsonNode item : value) {
                element(type, item, path, true);
            }
        } else {
            element(type, value, path, false);
        }
    }

    private void element(BaseRuntimeElementDefinition<?> type, JsonNode value, String path, boolean inArray) {
        if (type == null) {
            untyped(value, path);
            return;
        }
        switch (type.getChildType()) {
            case PRIMITIVE_DATATYPE, ID_DATATYPE, PRIMITIVE_XHTML, PRIMITIVE_XHTML_HL7ORG -> primitive(type, value, path, inArray);
            case CONTAINED_RESOURCES, CONTAINED_RESOURCE_LIST, RESOURCE -> {
                if (!value.isObject()) {
                    throw wrongType(path, "an object", value);
                }
                JsonNode resourceType = value.get("resourceType");
                object(value, resourceType != null && resourceType.isTextual() ? definitionOf(resourceType.textValue()) : null, path);
            }
            default -> {
                if (!value.isObject()) {
                    throw wrongType(path, "an object", value);
                }
                object(value, type instanceof BaseRuntimeElementCompositeDefinition<?> composite ? composite : null, path);
            }
        }
    }

    private void primitive(BaseRuntimeElementDefinition<?> type, JsonNode value, String path, boolean inArray) {
        if (value.isNull() && inArray) {
            return; // a gap in a repeating primitive whose extensions are in the parallel "_name" array
        }
        String name = type.getName();
        boolean matches = "boolean".equals(name) ? value.isBoolean()
                : NUMBER_TYPES.contains(name) ? value.isNumber()
                : value.isTextual();
        if (!matches) {
            String expected = "boolean".equals(name) ? "true or false" : NUMBER_TYPES.contains(name) ? "a JSON number" : "a string";
            throw wrongType(path, expected + " (FHIR " + name + ")", value);
        }
        if (value.isTextual()) {
            text(value.textValue(), path);
        }
    }

    /** What the model does not describe (unknown elements, extension content): only its text is checked here. */
    private void untyped(JsonNode value, String path) {
        if (value.isTextual()) {
            text(value.textValue(), path);
        } else if (value.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> fields = value.fields(); fields.hasNext(); ) {
                Map.Entry<String, JsonNode> field = fields.next();
                text(field.getKey(), path);
                untyped(field.getValue(), path + "." + field.getKey());
            }
        } else if (value.isArray()) {
            for (JsonNode item : value) {
                untyped(item, path);
            }
        }
    }

    private static void text(String text, String path) {
        if (StrictUtf8.loneSurrogateAt(text) >= 0) {
            throw new BadRequestException(IssueType.STRUCTURE, SpineCode.MESSAGE_NOT_WELL_FORMED,
                    "'" + path + "' holds a lone UTF-16 surrogate (e.g. an unpaired \\ud800 escape), which is not a Unicode"
                            + " character; send the character itself or a complete surrogate pair.");
        }
    }

    private BaseRuntimeElementCompositeDefinition<?> definitionOf(String resourceType) {
        try {
            return context.getResourceDefinition(resourceType);
        } catch (DataFormatException e) {
            return null; // not a resource of this FHIR version: HAPI's parser says so
        }
    }

    private static BadRequestException wrongType(String path, String expected, JsonNode found) {
        return new BadRequestException(IssueType.STRUCTURE, SpineCode.MESSAGE_NOT_WELL_FORMED,
                "'" + path + "' must be " + expected + " in FHIR JSON but is " + describe(found) + ".");
    }

    private static String describe(JsonNode node) {
        return switch (node.getNodeType()) {
            case ARRAY -> "an array";
            case OBJECT, POJO -> "an object";
            case NUMBER -> "a number";
            case BOOLEAN -> "a boolean";
            case NULL, MISSING -> "null";
            default -> "a string";
        };
    }

    private static String at(JsonLocation location) {
        if (location == null || location.getLineNr() < 1) {
            return "";
        }
        return " at line " + location.getLineNr() + ", column " + location.getColumnNr();
    }

    private static BadRequestException notWellFormed(String diagnostics) {
        return new BadRequestException(IssueType.STRUCTURE, SpineCode.MESSAGE_NOT_WELL_FORMED, diagnostics);
    }
}
