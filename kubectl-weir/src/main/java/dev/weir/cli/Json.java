package dev.weir.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.UncheckedIOException;

/**
 * Objects from the API server as JSON trees. The plugin reads what it shows from trees, binding
 * only small parts (status, strategy) to Weir's classes: binding a whole Rollout or ReplicaSet
 * means binding the pod template, whose hundreds of classes cost a third of a second of a cold
 * start.
 */
public final class Json {

  public static final ObjectMapper MAPPER =
      JsonMapper.builder()
          .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .enable(SerializationFeature.INDENT_OUTPUT)
          .build();

  private Json() {}

  /** Loads and initialises the mapper, ahead of the first JSON to read. */
  public static void init() {}

  public static JsonNode parse(String json) {
    try {
      return MAPPER.readTree(json);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static ObjectNode object() {
    return JsonNodeFactory.instance.objectNode();
  }

  /** The node at a path of field names, or a missing node. */
  public static JsonNode at(JsonNode node, String... path) {
    JsonNode current = node;
    for (String field : path) {
      current = current.path(field);
    }
    return current;
  }

  public static String text(JsonNode node, String... path) {
    JsonNode value = at(node, path);
    return value.isMissingNode() || value.isNull() ? null : value.asText();
  }

  public static Integer integer(JsonNode node, String... path) {
    JsonNode value = at(node, path);
    return value.isNumber() ? value.asInt() : null;
  }

  public static int integer(JsonNode node, int fallback, String... path) {
    Integer value = integer(node, path);
    return value == null ? fallback : value;
  }

  public static boolean isTrue(JsonNode node, String... path) {
    return at(node, path).asBoolean(false);
  }

  public static <T> T bind(JsonNode node, Class<T> type) {
    if (node == null || node.isMissingNode() || node.isNull()) {
      return null;
    }
    try {
      return MAPPER.treeToValue(node, type);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static String write(Object value) {
    try {
      return MAPPER.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static String writeYaml(Object value) {
    try {
      return Yaml.MAPPER.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Loaded on first use only: most commands never write YAML. */
  private static final class Yaml {
    static final ObjectMapper MAPPER =
        new YAMLMapper(
            YAMLFactory.builder()
                .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
                .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
                .enable(YAMLGenerator.Feature.INDENT_ARRAYS_WITH_INDICATOR)
                .build());
  }
}
