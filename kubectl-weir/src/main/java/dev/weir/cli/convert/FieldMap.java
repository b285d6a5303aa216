package dev.weir.cli.convert;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How the fields of one object of a peer's schema carry over to Weir's, one rule per field: the
 * same field, the same field under Weir's name, a nested object or list with rules of its own,
 * something that does not carry over (a warning), or something left out on purpose (status, fields
 * the API server fills in). A field no rule names is left out with a warning: a newer version of
 * the peer may have added it, and nothing is dropped without a word. Fields come out in the order
 * they came in.
 */
final class FieldMap {

  /** What becomes of one field: {@code value} is at {@code path} in the source. */
  interface Rule {
    void apply(Source src, String path, String name, JsonNode value, ObjectNode out);
  }

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private final String what;
  private final Map<String, Rule> rules = new LinkedHashMap<>();

  /**
   * @param what how warnings name the object, e.g. "a canary step"
   */
  FieldMap(String what) {
    this.what = what;
  }

  /** A map with the same rules, to add some: for another object, or for one conversion. */
  FieldMap copy(String what) {
    FieldMap copy = new FieldMap(what);
    copy.rules.putAll(rules);
    return copy;
  }

  /** Fields that mean the same in Weir, under the same name. */
  FieldMap same(String... names) {
    for (String name : names) {
      rules.put(name, (src, path, n, value, out) -> out.set(n, value.deepCopy()));
    }
    return this;
  }

  FieldMap rule(String name, Rule rule) {
    rules.put(name, rule);
    return this;
  }

  /** A nested object whose fields follow {@code map}. */
  FieldMap object(String name, FieldMap map) {
    return rule(name, (src, path, n, value, out) -> out.set(n, map.convert(src, path, value)));
  }

  /** A list of objects whose fields follow {@code map}. */
  FieldMap list(String name, FieldMap map) {
    return rule(
        name,
        (src, path, n, value, out) -> {
          ArrayNode items = NODES.arrayNode();
          for (int i = 0; i < value.size(); i++) {
            items.add(map.convert(src, path + "[" + i + "]", value.get(i)));
          }
          out.set(n, items);
        });
  }

  /** A field Weir has no equivalent for: left out, with a warning saying why. */
  FieldMap unsupported(String name, String why) {
    return rule(name, (src, path, n, value, out) -> src.warn(path, why));
  }

  /** Fields left out without a word: written by the peer's controller or the API server. */
  FieldMap ignored(String... names) {
    for (String name : names) {
      rules.put(name, (src, path, n, value, out) -> {});
    }
    return this;
  }

  /** The object converted field by field. */
  ObjectNode convert(Source src, String path, JsonNode in) {
    ObjectNode out = NODES.objectNode();
    if (in == null || !in.isObject()) {
      return out;
    }
    in.fields()
        .forEachRemaining(
            field -> {
              String child = path.isEmpty() ? field.getKey() : path + "." + field.getKey();
              Rule rule = rules.get(field.getKey());
              if (rule == null) {
                src.warn(child, "not a field of " + what + " that convert knows: left out");
              } else if (!field.getValue().isNull()) {
                rule.apply(src, child, field.getKey(), field.getValue(), out);
              }
            });
    return out;
  }
}
