package dev.weir.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * One scrape of a metrics endpoint in the Prometheus text format, read the way a user reads it: the
 * value of the series with these labels (others may be present too).
 */
public record Scrape(String text) {

  private static final Pattern SAMPLE =
      Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\\{(.*)\\})?\\s+(\\S+)$");

  /** The value of the first series of {@code name} that carries all these labels. */
  public Optional<Double> value(String name, Map<String, String> labels) {
    return values(name, labels).stream().findFirst();
  }

  /** The values of every series of {@code name} that carries all these labels. */
  public List<Double> values(String name, Map<String, String> labels) {
    var found = new ArrayList<Double>();
    for (String line : text.split("\n")) {
      var m = SAMPLE.matcher(line.trim());
      if (!m.matches() || !m.group(1).equals(name)) {
        continue;
      }
      String set = m.group(2) == null ? "" : m.group(2);
      boolean all =
          labels.entrySet().stream()
              .allMatch(e -> set.contains(e.getKey() + "=\"" + e.getValue() + "\""));
      if (all) {
        found.add(Double.parseDouble(m.group(3)));
      }
    }
    return found;
  }

  /** The sum of the values of every series of {@code name} that carries all these labels. */
  public double sum(String name, Map<String, String> labels) {
    return values(name, labels).stream().mapToDouble(Double::doubleValue).sum();
  }
}
