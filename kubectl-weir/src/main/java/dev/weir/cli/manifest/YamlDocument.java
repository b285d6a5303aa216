package dev.weir.cli.manifest;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * One object of a manifest file: its value as a JSON tree, and the YAML node tree it was read from,
 * which knows where each field is, so that messages can say {@code file:line}.
 *
 * @param file the file's name as the user gave it
 * @param node the document's YAML node (positions)
 * @param value the document's value
 */
public record YamlDocument(String file, Node node, JsonNode value) {

  private static final Pattern PATH_PART = Pattern.compile("([^.\\[\\]]+)|\\[(\\d+)]");

  public String apiVersion() {
    return value.path("apiVersion").asText("");
  }

  public String kind() {
    return value.path("kind").asText("");
  }

  public String name() {
    return value.path("metadata").path("name").asText("");
  }

  /** The namespace the object names, or {@code default} when it names none. */
  public String namespace() {
    return value.path("metadata").path("namespace").asText("default");
  }

  /** Whether the object names its namespace (else it goes where it is applied). */
  public boolean hasNamespace() {
    return value.path("metadata").hasNonNull("namespace");
  }

  /** The first line of the document, 1-based. */
  public int line() {
    return node.getStartMark().getLine() + 1;
  }

  /** The line of a field given by its path ({@code spec.strategy.canary.steps[2]}), 1-based. */
  public int line(String path) {
    return nodeAt(node, path).getStartMark().getLine() + 1;
  }

  /**
   * The node a field path ({@code spec.strategy.canary.steps[2].setWeight}) names: a scalar's
   * value, else the key that introduces it; for a field that is absent, the nearest present parent.
   */
  public static Node nodeAt(Node root, String path) {
    Node current = root;
    Node shown = root;
    Matcher m = PATH_PART.matcher(path);
    while (m.find()) {
      if (m.group(1) != null && current instanceof MappingNode mapping) {
        NodeTuple tuple = tuple(mapping, m.group(1));
        if (tuple == null) {
          return shown;
        }
        current = tuple.getValueNode();
        shown = current instanceof ScalarNode ? current : tuple.getKeyNode();
      } else if (m.group(2) != null && current instanceof SequenceNode seq) {
        int index = Integer.parseInt(m.group(2));
        if (index >= seq.getValue().size()) {
          return shown;
        }
        current = seq.getValue().get(index);
        shown = current;
      } else {
        return shown;
      }
    }
    return shown;
  }

  /** The entry of a mapping with the given key, or null. */
  public static NodeTuple tuple(MappingNode mapping, String key) {
    for (NodeTuple tuple : mapping.getValue()) {
      if (tuple.getKeyNode() instanceof ScalarNode k && k.getValue().equals(key)) {
        return tuple;
      }
    }
    return null;
  }
}
