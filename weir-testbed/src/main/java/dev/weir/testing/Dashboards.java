package dev.weir.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The PromQL of every panel of the Grafana dashboards in a directory, with the dashboard's
 * variables filled in as Grafana would fill them for one rollout.
 */
public final class Dashboards {

  /** Grafana's built-in variables, as a short time range would set them. */
  private static final Map<String, String> BUILT_INS =
      Map.of("$__rate_interval", "1m", "$__range", "5m", "$__interval", "15s");

  /** One query of one panel. */
  public record PanelQuery(String dashboard, String panel, String expr) {
    @Override
    public String toString() {
      return dashboard + " / " + panel + ": " + expr;
    }
  }

  private Dashboards() {}

  /** Every panel's queries, {@code $name} and {@code ${name}} replaced by {@code variables}. */
  public static List<PanelQuery> queries(Path directory, Map<String, String> variables) {
    var found = new ArrayList<PanelQuery>();
    try (Stream<Path> files = Files.list(directory)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".json")).sorted().toList()) {
        JsonNode dashboard = new ObjectMapper().readTree(file.toFile());
        for (JsonNode panel : dashboard.path("panels")) {
          for (JsonNode target : panel.path("targets")) {
            String expr = target.path("expr").asText();
            found.add(
                new PanelQuery(
                    dashboard.path("title").asText(),
                    panel.path("title").asText(),
                    fill(expr, variables)));
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return found;
  }

  static String fill(String expr, Map<String, String> variables) {
    String filled = expr;
    for (var e : BUILT_INS.entrySet()) {
      filled = filled.replace(e.getKey(), e.getValue());
    }
    // Longest names first, so that $rollout does not eat into $rollout_name.
    var names = variables.keySet().stream().sorted((a, b) -> b.length() - a.length()).toList();
    for (String name : names) {
      filled =
          filled
              .replace("${" + name + "}", variables.get(name))
              .replace("$" + name, variables.get(name));
    }
    if (filled.contains("$")) {
      throw new IllegalArgumentException("a variable left unfilled in " + filled);
    }
    return filled;
  }
}
