package dev.weir.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The objects an API server returns for the example canary paused at 10 %, with an AnalysisRun
 * judging v2: the same the launcher's training run serves (src/main/resources/.../training).
 */
public final class Fixtures {

  private Fixtures() {}

  static String text(String name) {
    try (InputStream in = Fixtures.class.getResourceAsStream("training/" + name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static JsonNode rollout() {
    return Json.parse(text("rollout.json"));
  }

  public static List<JsonNode> replicaSets() {
    return items("replicasets.json");
  }

  public static List<JsonNode> analysisRuns() {
    return items("analysisruns.json");
  }

  static List<JsonNode> items(String name) {
    var items = new ArrayList<JsonNode>();
    Json.parse(text(name)).path("items").forEach(items::add);
    return items;
  }
}
