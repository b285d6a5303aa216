package dev.weir.cli.review;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The {@code {{args.NAME}}} of a template's metric, read with the template's own arg values. */
final class TemplateArgs {

  private static final Pattern ARG = Pattern.compile("\\{\\{\\s*args\\.([\\w.-]+)\\s*}}");

  private TemplateArgs() {}

  /** The text with each arg that has a value in {@code args} replaced by it. */
  static String expand(String text, JsonNode args) {
    return ARG.matcher(text)
        .replaceAll(
            m -> {
              JsonNode value = value(args, m.group(1));
              return Matcher.quoteReplacement(value.isValueNode() ? value.asText() : m.group());
            });
  }

  /**
   * The path of the first arg the text uses whose value differs between the two sides, or {@code
   * spec.args} when none does.
   */
  static String changedArg(String text, JsonNode before, JsonNode after) {
    var m = ARG.matcher(text);
    while (m.find()) {
      if (!value(before, m.group(1)).equals(value(after, m.group(1)))) {
        for (int i = 0; i < after.size(); i++) {
          if (after.get(i).path("name").asText("").equals(m.group(1))) {
            return "spec.args[" + i + "].value";
          }
        }
      }
    }
    return "spec.args";
  }

  private static JsonNode value(JsonNode args, String name) {
    for (JsonNode arg : args) {
      if (arg.path("name").asText("").equals(name)) {
        return arg.path("value");
      }
    }
    return MissingNode.getInstance();
  }
}
