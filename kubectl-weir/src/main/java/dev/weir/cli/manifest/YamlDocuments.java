package dev.weir.cli.manifest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.StringReader;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * Reads a YAML (or JSON) stream into its objects, once, keeping the position of every field. Values
 * are typed as the API server's YAML reader types them ({@code 5} a number, {@code "5"} a string,
 * {@code yes} a boolean); a timestamp stays the text it was written as.
 */
public final class YamlDocuments {

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private YamlDocuments() {}

  /** The stream is not YAML: where, and why. Lines and columns are 1-based. */
  public static final class SyntaxError extends Exception {
    private final int line;
    private final int column;

    SyntaxError(int line, int column, String problem) {
      super(problem, null, false, false);
      this.line = line;
      this.column = column;
    }

    public int line() {
      return line;
    }

    public int column() {
      return column;
    }
  }

  /**
   * The objects of a file, in order; documents that are not objects (empty, a list) are left out.
   */
  public static List<YamlDocument> parse(String file, String text) throws SyntaxError {
    var documents = new ArrayList<YamlDocument>();
    var values = new ScalarValues();
    try {
      var yaml = new Yaml(new SafeConstructor(new LoaderOptions()));
      for (Node node : yaml.composeAll(new StringReader(text))) {
        if (node instanceof MappingNode) {
          documents.add(new YamlDocument(file, node, values.tree(node)));
        }
      }
    } catch (MarkedYAMLException e) {
      Mark mark = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
      throw new SyntaxError(
          mark == null ? 1 : mark.getLine() + 1,
          mark == null ? 1 : mark.getColumn() + 1,
          e.getProblem());
    } catch (YAMLException e) {
      throw new SyntaxError(1, 1, e.getMessage());
    }
    return documents;
  }

  /** SnakeYAML's own reading of numbers and booleans, for the scalars of a node tree. */
  private static final class ScalarValues extends SafeConstructor {
    ScalarValues() {
      super(new LoaderOptions());
    }

    JsonNode tree(Node node) {
      if (node instanceof MappingNode mapping) {
        flattenMapping(mapping); // << merge keys, as the API server's YAML reader merges them
        ObjectNode object = NODES.objectNode();
        for (NodeTuple tuple : mapping.getValue()) {
          if (tuple.getKeyNode() instanceof ScalarNode key) {
            object.set(key.getValue(), tree(tuple.getValueNode()));
          }
        }
        return object;
      }
      if (node instanceof SequenceNode sequence) {
        ArrayNode array = NODES.arrayNode();
        sequence.getValue().forEach(item -> array.add(tree(item)));
        return array;
      }
      ScalarNode scalar = (ScalarNode) node;
      Tag tag = scalar.getTag();
      if (tag.equals(Tag.NULL)) {
        return NODES.nullNode();
      }
      if (tag.equals(Tag.BOOL) || tag.equals(Tag.INT) || tag.equals(Tag.FLOAT)) {
        Object value = constructObject(scalar);
        if (value instanceof Boolean b) {
          return NODES.booleanNode(b);
        }
        if (value instanceof Integer i) {
          return NODES.numberNode(i);
        }
        if (value instanceof Long l) {
          return NODES.numberNode(l);
        }
        if (value instanceof BigInteger big) {
          return NODES.numberNode(big);
        }
        if (value instanceof Double d) {
          return NODES.numberNode(d);
        }
      }
      return NODES.textNode(scalar.getValue());
    }
  }
}
