package dev.weir.cli.convert;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weir.api.WellKnownNames;

/** Objects as convert writes them: plain JSON trees, in the order a reader expects the fields. */
final class WeirObjects {

  static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private WeirObjects() {}

  /** A weir.dev object: apiVersion, kind, metadata, spec. */
  static ObjectNode weir(String kind, ObjectNode metadata, ObjectNode spec) {
    return object(WellKnownNames.API_VERSION, kind, metadata, spec);
  }

  static ObjectNode object(String apiVersion, String kind, ObjectNode metadata, ObjectNode spec) {
    ObjectNode object = NODES.objectNode();
    object.put("apiVersion", apiVersion);
    object.put("kind", kind);
    object.set("metadata", metadata);
    if (spec != null) {
      object.set("spec", spec);
    }
    return object;
  }

  /** {@code {name: NAME, namespace: NAMESPACE}}, the namespace only when the source named one. */
  static ObjectNode metadata(String name, String namespace) {
    ObjectNode metadata = NODES.objectNode();
    metadata.put("name", name);
    if (namespace != null) {
      metadata.put("namespace", namespace);
    }
    return metadata;
  }

  static ObjectNode object() {
    return NODES.objectNode();
  }

  static ArrayNode array() {
    return NODES.arrayNode();
  }

  /** A value that Weir keeps as a string (an arg's value), written in YAML as a number or not. */
  static JsonNode text(JsonNode value) {
    return value.isTextual() ? value : NODES.textNode(value.asText());
  }
}
