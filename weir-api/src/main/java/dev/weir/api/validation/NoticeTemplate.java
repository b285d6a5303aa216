package dev.weir.api.validation;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The text of a notice with {@code {{rollout.name}}}-style placeholders: a closed set of names,
 * each replaced by a plain value, nothing evaluated. A template can therefore only rearrange what
 * Weir tells about the event; it cannot reach a Secret, a field of its own choosing, or run code.
 */
public final class NoticeTemplate {

  /** {@code {{name}}}, spaces allowed inside the braces. */
  public static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{\\s*([A-Za-z0-9_.]+)\\s*}}");

  /** Every placeholder a template may use, with an example of its value. */
  public static final Map<String, String> NAMES =
      Map.ofEntries(
          Map.entry("rollout.name", "checkout"),
          Map.entry("rollout.namespace", "shop"),
          Map.entry("rollout.uid", "3f1c0d2e-8a4b-4c5d-9e6f-7a8b9c0d1e2f"),
          Map.entry("event.id", "3f1c0d2e.5d8c7b6a9f.Aborted.2"),
          Map.entry("event.trigger", "Aborted"),
          Map.entry("event.reason", "Aborted"),
          Map.entry("event.message", "metric success-rate failed: 0.91 < 0.99"),
          Map.entry("event.time", "2026-01-01T12:00:00Z"),
          Map.entry("revision", "5d8c7b6a9f"),
          Map.entry("stable", "7f6e5d4c3b"),
          Map.entry("step", "2"),
          Map.entry("steps", "6"),
          Map.entry("weight", "10"),
          Map.entry("phase", "Degraded"),
          Map.entry("commit", "9b2e4f1"),
          Map.entry("commands.promote", "kubectl weir promote checkout -n shop"),
          Map.entry("commands.abort", "kubectl weir abort checkout -n shop"),
          Map.entry("commands.status", "kubectl weir get rollout checkout -n shop"));

  private NoticeTemplate() {}

  /** The placeholders a text uses, in order of first use. */
  public static Set<String> placeholders(String text) {
    var used = new LinkedHashSet<String>();
    if (text != null) {
      Matcher m = PLACEHOLDER.matcher(text);
      while (m.find()) {
        used.add(m.group(1));
      }
    }
    return used;
  }

  /** The placeholders a text uses that are not among {@link #NAMES}. */
  public static List<String> unknown(String text) {
    var unknown = new ArrayList<String>();
    for (String name : placeholders(text)) {
      if (!NAMES.containsKey(name)) {
        unknown.add(name);
      }
    }
    return unknown;
  }

  /**
   * The text with every placeholder replaced by its value, passed through {@code escape} (a value
   * missing from {@code values} is empty).
   */
  public static String render(
      String text, Map<String, String> values, UnaryOperator<String> escape) {
    Matcher m = PLACEHOLDER.matcher(text);
    var out = new StringBuilder();
    while (m.find()) {
      String value = values.getOrDefault(m.group(1), "");
      m.appendReplacement(out, Matcher.quoteReplacement(escape.apply(value)));
    }
    m.appendTail(out);
    return out.toString();
  }

  /** A value escaped for the inside of a JSON string. */
  public static String jsonString(String value) {
    var out = new StringBuilder(value.length() + 8);
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          if (c < 0x20 || c == '<' || c == '>' || c == '&') {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    return out.toString();
  }
}
