package dev.weir.cli.convert;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * One object of the output, and the comment lines written above it in YAML: where it came from and,
 * for what was not a plain copy, how it was made.
 */
public record Converted(List<String> comments, ObjectNode object) {

  public String kind() {
    return object.path("kind").asText();
  }

  public String name() {
    return object.path("metadata").path("name").asText();
  }
}
