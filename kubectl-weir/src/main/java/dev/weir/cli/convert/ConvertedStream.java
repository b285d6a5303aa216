package dev.weir.cli.convert;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.weir.cli.Json;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * The converted objects as {@code kubectl apply -f -} takes them: a YAML stream, each object after
 * the comments that say where it came from and how; or one JSON List.
 */
public final class ConvertedStream {

  private static final int WIDTH = 100;

  private static final ObjectMapper YAML =
      new YAMLMapper(
          YAMLFactory.builder()
              .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
              .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
              .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS)
              .enable(YAMLGenerator.Feature.LITERAL_BLOCK_STYLE)
              .enable(YAMLGenerator.Feature.INDENT_ARRAYS_WITH_INDICATOR)
              .build());

  private ConvertedStream() {}

  public static String yaml(List<Converted> objects) {
    var out = new StringBuilder();
    for (Converted converted : objects) {
      if (!out.isEmpty()) {
        out.append("---\n");
      }
      converted.comments().forEach(c -> comment(out, c));
      try {
        out.append(YAML.writeValueAsString(converted.object()));
      } catch (JsonProcessingException e) {
        throw new UncheckedIOException(e);
      }
    }
    return out.toString();
  }

  /** {@code {"apiVersion": "v1", "kind": "List", "items": [...]}}, as kubectl writes several. */
  public static String json(List<Converted> objects) {
    ObjectNode list = WeirObjects.object();
    list.put("apiVersion", "v1");
    list.put("kind", "List");
    var items = list.putArray("items");
    objects.forEach(o -> items.add(o.object()));
    return Json.write(list) + "\n";
  }

  /** A comment, wrapped at word boundaries. */
  private static void comment(StringBuilder out, String text) {
    var line = new StringBuilder("#");
    for (String word : text.split(" ")) {
      if (line.length() + 1 + word.length() > WIDTH && line.length() > 1) {
        out.append(line).append('\n');
        line = new StringBuilder("#");
      }
      line.append(' ').append(word);
    }
    out.append(line).append('\n');
  }
}
