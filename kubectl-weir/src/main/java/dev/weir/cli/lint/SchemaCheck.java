package dev.weir.cli.lint;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * Checks a YAML document against the OpenAPI schema of a CRD, the way the API server would on
 * {@code kubectl apply}, plus what it would silently do: a field the schema does not know (a typo,
 * {@code setWieght}) is not rejected but pruned, so it is reported here as an error. The schema is
 * the CRD Weir's build generates from its Java classes, shipped in the plugin's jar.
 *
 * <p>Covers what Weir's CRDs use: {@code type}, {@code properties}, {@code required}, {@code
 * items}, {@code additionalProperties}, {@code enum}, {@code minimum}, {@code maximum}, {@code
 * x-kubernetes-int-or-string} and {@code x-kubernetes-preserve-unknown-fields}.
 */
final class SchemaCheck {

  /** Receives each problem: the node it is about, and the message. */
  interface Problems {
    void report(Node at, String field, String message, boolean error);
  }

  private final Map<String, Object> schema;

  private SchemaCheck(Map<String, Object> schema) {
    this.schema = schema;
  }

  /**
   * The schema of {@code kind} in group weir.dev, from the CRD generated into the jar ({@code
   * META-INF/fabric8/<plural>.weir.dev-v1.yml}); null when this build has no CRD for it.
   */
  static SchemaCheck forKind(String kind) {
    String singular = kind.toLowerCase(Locale.ROOT);
    String plural =
        singular.endsWith("y")
            ? singular.substring(0, singular.length() - 1) + "ies"
            : singular + "s";
    String resource = "/META-INF/fabric8/" + plural + ".weir.dev-v1.yml";
    try (InputStream in = SchemaCheck.class.getResourceAsStream(resource)) {
      if (in == null) {
        return null;
      }
      Map<String, Object> crd = new Yaml(new SafeConstructor(new LoaderOptions())).load(in);
      for (Object version : list(map(crd.get("spec")).get("versions"))) {
        Map<String, Object> v = map(version);
        if ("v1alpha1".equals(v.get("name"))) {
          return new SchemaCheck(map(map(v.get("schema")).get("openAPIV3Schema")));
        }
      }
      return null;
    } catch (IOException e) {
      return null;
    }
  }

  /** The fields every object has, which CRD schemas leave to the API server. */
  private static final Set<String> OBJECT_FIELDS = Set.of("apiVersion", "kind", "metadata");

  void check(Node document, Problems problems) {
    check(document, schema, "", problems);
  }

  private void check(Node node, Map<String, Object> schema, String path, Problems problems) {
    if (node instanceof ScalarNode scalar && scalar.getTag().equals(Tag.NULL)) {
      problems.report(
          node,
          path,
          "is null, which the API server drops; write {} for an empty object, or leave the field"
              + " out",
          false);
      return;
    }
    if (Boolean.TRUE.equals(schema.get("x-kubernetes-int-or-string"))) {
      if (!(node instanceof ScalarNode s)
          || !(s.getTag().equals(Tag.INT) || s.getTag().equals(Tag.STR))) {
        problems.report(node, path, "must be an integer or a string, got " + describe(node), true);
      }
      return;
    }
    Object type = schema.get("type");
    if ("object".equals(type)) {
      object(node, schema, path, problems);
    } else if ("array".equals(type)) {
      if (!(node instanceof SequenceNode seq)) {
        problems.report(node, path, "must be a list, got " + describe(node), true);
        return;
      }
      Map<String, Object> items = map(schema.get("items"));
      for (int i = 0; i < seq.getValue().size(); i++) {
        check(seq.getValue().get(i), items, path + "[" + i + "]", problems);
      }
    } else if (type != null) {
      scalar(node, schema, type.toString(), path, problems);
    }
  }

  private void object(Node node, Map<String, Object> schema, String path, Problems problems) {
    if (!(node instanceof MappingNode mapping)) {
      problems.report(node, path, "must be an object, got " + describe(node), true);
      return;
    }
    Map<String, Object> properties = map(schema.get("properties"));
    Object additional = schema.get("additionalProperties");
    boolean open =
        Boolean.TRUE.equals(schema.get("x-kubernetes-preserve-unknown-fields"))
            || Boolean.TRUE.equals(additional)
            || (properties.isEmpty() && additional == null);
    Set<String> present = new HashSet<>();
    for (NodeTuple tuple : mapping.getValue()) {
      if (!(tuple.getKeyNode() instanceof ScalarNode key)) {
        continue;
      }
      String name = key.getValue();
      present.add(name);
      if (path.isEmpty() && OBJECT_FIELDS.contains(name)) {
        continue;
      }
      String child = path.isEmpty() ? name : path + "." + name;
      if (properties.containsKey(name)) {
        check(tuple.getValueNode(), map(properties.get(name)), child, problems);
      } else if (additional instanceof Map<?, ?> values) {
        check(tuple.getValueNode(), map(values), child, problems);
      } else if (!open) {
        String hint = closest(name, properties.keySet());
        problems.report(
            key,
            child,
            "unknown field \""
                + name
                + "\": the API server drops it"
                + (hint == null ? "" : " (did you mean \"" + hint + "\"?)"),
            true);
      }
    }
    for (Object required : list(schema.get("required"))) {
      if (!present.contains(required.toString())) {
        problems.report(node, path, "missing required field \"" + required + "\"", true);
      }
    }
  }

  private static void scalar(
      Node node, Map<String, Object> schema, String type, String path, Problems problems) {
    if (!(node instanceof ScalarNode s)) {
      problems.report(node, path, "must be " + article(type) + ", got " + describe(node), true);
      return;
    }
    Tag tag = s.getTag();
    boolean ok =
        switch (type) {
          case "string" -> tag.equals(Tag.STR);
          case "integer" -> tag.equals(Tag.INT);
          case "number" -> tag.equals(Tag.INT) || tag.equals(Tag.FLOAT);
          case "boolean" -> tag.equals(Tag.BOOL);
          default -> true;
        };
    if (!ok) {
      String quoteHint = type.equals("string") ? " (quote it: \"" + s.getValue() + "\")" : "";
      problems.report(
          node, path, "must be " + article(type) + ", got " + describe(node) + quoteHint, true);
      return;
    }
    List<Object> allowed = list(schema.get("enum"));
    if (!allowed.isEmpty() && allowed.stream().noneMatch(a -> a.toString().equals(s.getValue()))) {
      problems.report(node, path, "\"" + s.getValue() + "\" is not one of " + allowed, true);
    }
    if (tag.equals(Tag.INT) || tag.equals(Tag.FLOAT)) {
      double value;
      try {
        value = Double.parseDouble(s.getValue().replace("_", ""));
      } catch (NumberFormatException e) {
        return;
      }
      if (schema.get("minimum") instanceof Number min && value < min.doubleValue()) {
        problems.report(
            node, path, "must be at least " + number(min) + ", was " + s.getValue(), true);
      }
      if (schema.get("maximum") instanceof Number max && value > max.doubleValue()) {
        problems.report(
            node, path, "must be at most " + number(max) + ", was " + s.getValue(), true);
      }
    }
  }

  private static String number(Number n) {
    double d = n.doubleValue();
    return d == Math.rint(d) ? Long.toString((long) d) : n.toString();
  }

  private static String article(String type) {
    return switch (type) {
      case "integer" -> "an integer";
      case "object", "array" -> "an " + type;
      default -> "a " + type;
    };
  }

  static String describe(Node node) {
    if (node instanceof MappingNode) {
      return "an object";
    }
    if (node instanceof SequenceNode) {
      return "a list";
    }
    ScalarNode s = (ScalarNode) node;
    Tag tag = s.getTag();
    String kind =
        tag.equals(Tag.INT)
            ? "an integer"
            : tag.equals(Tag.FLOAT)
                ? "a number"
                : tag.equals(Tag.BOOL) ? "a boolean" : tag.equals(Tag.NULL) ? "null" : "a string";
    return kind.equals("null") ? kind : kind + " (" + s.getValue() + ")";
  }

  /** The known field closest to a misspelt one, if it is close enough to be the meant one. */
  static String closest(String name, Set<String> known) {
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    for (String candidate : known) {
      int d = distance(name.toLowerCase(Locale.ROOT), candidate.toLowerCase(Locale.ROOT));
      if (d < bestDistance) {
        best = candidate;
        bestDistance = d;
      }
    }
    return best != null && bestDistance <= Math.max(2, name.length() / 4) ? best : null;
  }

  /** Optimal string alignment distance: a swap of two letters counts as one edit. */
  private static int distance(String a, String b) {
    int[][] d = new int[a.length() + 1][b.length() + 1];
    for (int i = 0; i <= a.length(); i++) {
      d[i][0] = i;
    }
    for (int j = 0; j <= b.length(); j++) {
      d[0][j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
        if (i > 1
            && j > 1
            && a.charAt(i - 1) == b.charAt(j - 2)
            && a.charAt(i - 2) == b.charAt(j - 1)) {
          d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
        }
      }
    }
    return d[a.length()][b.length()];
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> map(Object value) {
    return value instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
  }

  @SuppressWarnings("unchecked")
  static List<Object> list(Object value) {
    return value instanceof List<?> l ? (List<Object>) l : new ArrayList<>();
  }
}
