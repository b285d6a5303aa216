package dev.weir.gitops;

import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.yaml.snakeyaml.DumperOptions.ScalarStyle;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * One scalar field of a YAML file in git, found by its path, and the file with that field's value
 * replaced at its position in the text: every other byte (comments, indentation, key order, the
 * other documents of the file) stays as it was, so that the commit Weir writes is the smallest edit
 * a reviewer can read. The YAML is never re-serialised.
 *
 * <p>A path is dotted keys, with {@code [key=value]} choosing the entry of a list whose {@code key}
 * has that value: {@code spec.template.spec.containers[name=app].image} (a Rollout), {@code
 * images[name=registry.example/checkout].newTag} (a Kustomize overlay), {@code image.tag} (Helm
 * values).
 *
 * @param value the field's value now
 * @param style how the value is written (plain, quoted)
 */
public record YamlField(String text, int start, int end, String value, ScalarStyle style) {

  /**
   * The field at {@code path} in the first document of {@code text} whose fields equal {@code
   * document} (say {@code kind: Rollout}, {@code metadata.name: checkout}; empty: the first
   * document), if there is one and it is a scalar.
   */
  public static Optional<YamlField> find(String text, Map<String, String> document, String path) {
    var yaml = new Yaml(new SafeConstructor(new LoaderOptions()));
    for (Node root : yaml.composeAll(new StringReader(text))) {
      if (root != null && document.entrySet().stream().allMatch(e -> matches(root, e))) {
        return scalarAt(root, path).map(s -> of(text, s));
      }
    }
    return Optional.empty();
  }

  private static boolean matches(Node root, Map.Entry<String, String> field) {
    return scalarAt(root, field.getKey())
        .map(s -> s.getValue().equals(field.getValue()))
        .orElse(false);
  }

  private static YamlField of(String text, ScalarNode scalar) {
    // Marks count code points; the text is indexed by chars.
    int start = text.offsetByCodePoints(0, scalar.getStartMark().getIndex());
    int end = text.offsetByCodePoints(0, scalar.getEndMark().getIndex());
    return new YamlField(text, start, end, scalar.getValue(), scalar.getScalarStyle());
  }

  /**
   * The file with this field set to {@code value}, written in the field's own style: plain stays
   * plain unless the value would read as something else there (a number, {@code true}, a comment),
   * quoted stays quoted the same way.
   */
  public String replacedWith(String value) {
    if (style == ScalarStyle.LITERAL || style == ScalarStyle.FOLDED) {
      throw new IllegalArgumentException(
          "a block scalar (| or >) is not edited in place: " + text.substring(start, end));
    }
    return text.substring(0, start) + written(value) + text.substring(end);
  }

  private String written(String value) {
    if (style == ScalarStyle.SINGLE_QUOTED) {
      return "'" + value.replace("'", "''") + "'";
    }
    if (style == ScalarStyle.DOUBLE_QUOTED || !readsAsPlainString(value)) {
      return "\"" + value.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
    return value;
  }

  /** Whether a plain scalar of this text reads back as this same string. */
  private static boolean readsAsPlainString(String value) {
    if (value.isEmpty() || value.contains(": ") || value.contains(" #") || value.endsWith(":")) {
      return false;
    }
    if ("-?:,[]{}#&*!|>'\"%@`".indexOf(value.charAt(0)) >= 0 || !value.strip().equals(value)) {
      return false;
    }
    Object read = new Yaml(new SafeConstructor(new LoaderOptions())).load(value);
    return value.equals(read);
  }

  private static Optional<ScalarNode> scalarAt(Node root, String path) {
    Node node = root;
    for (String segment : segments(path)) {
      node = segment.startsWith("[") ? entry(node, segment) : value(node, segment);
      if (node == null) {
        return Optional.empty();
      }
    }
    return node instanceof ScalarNode scalar ? Optional.of(scalar) : Optional.empty();
  }

  /** {@code a.b[k=v].c} as {@code a}, {@code b}, {@code [k=v]}, {@code c}; dots inside [] kept. */
  static List<String> segments(String path) {
    var segments = new ArrayList<String>();
    var current = new StringBuilder();
    boolean inSelector = false;
    for (char c : path.toCharArray()) {
      if (c == '[' && !inSelector) {
        flush(current, segments);
        inSelector = true;
        current.append(c);
      } else if (c == ']' && inSelector) {
        current.append(c);
        flush(current, segments);
        inSelector = false;
      } else if (c == '.' && !inSelector) {
        flush(current, segments);
      } else {
        current.append(c);
      }
    }
    flush(current, segments);
    return segments;
  }

  private static void flush(StringBuilder current, List<String> segments) {
    if (current.length() > 0) {
      segments.add(current.toString());
      current.setLength(0);
    }
  }

  private static Node value(Node node, String key) {
    if (!(node instanceof MappingNode mapping)) {
      return null;
    }
    return mapping.getValue().stream()
        .filter(t -> t.getKeyNode() instanceof ScalarNode k && k.getValue().equals(key))
        .map(t -> t.getValueNode())
        .findFirst()
        .orElse(null);
  }

  private static Node entry(Node node, String selector) {
    if (!(node instanceof SequenceNode sequence)) {
      return null;
    }
    String inner = selector.substring(1, selector.length() - 1);
    int eq = inner.indexOf('=');
    if (eq < 0) {
      return null;
    }
    String key = inner.substring(0, eq);
    String wanted = inner.substring(eq + 1);
    return sequence.getValue().stream()
        .filter(item -> value(item, key) instanceof ScalarNode v && v.getValue().equals(wanted))
        .findFirst()
        .orElse(null);
  }
}
