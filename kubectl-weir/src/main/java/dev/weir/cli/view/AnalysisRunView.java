package dev.weir.cli.view;

import com.fasterxml.jackson.databind.JsonNode;
import dev.weir.api.WellKnownNames;
import dev.weir.cli.Json;
import java.util.ArrayList;
import java.util.List;

/**
 * An AnalysisRun as the tree shows it: its verdict and each metric's latest measurement. Read from
 * the run as a JSON tree, so the plugin needs none of the analysis classes: {@code status.phase},
 * {@code status.message}, {@code status.metricResults[].name|phase|message} and {@code
 * status.metricResults[].measurements[].value|phase|message}.
 *
 * @param revisionHash the revision judged (label {@code weir.dev/pod-template-hash}), or null
 */
record AnalysisRunView(
    String name,
    String phase,
    String message,
    String revisionHash,
    String created,
    List<MetricView> metrics) {

  /**
   * One metric of a run.
   *
   * @param lastValue the latest measurement's value, or null before the first
   * @param message the latest measurement's message, else the metric's
   */
  record MetricView(
      String name, String phase, String lastValue, String message, int measurements) {}

  static AnalysisRunView of(JsonNode run) {
    var metrics = new ArrayList<MetricView>();
    for (JsonNode result : Json.at(run, "status", "metricResults")) {
      JsonNode measurements = result.path("measurements");
      JsonNode last = measurements.size() == 0 ? null : measurements.get(measurements.size() - 1);
      String message = last == null ? null : Json.text(last, "message");
      if (message == null) {
        message = Json.text(result, "message");
      }
      metrics.add(
          new MetricView(
              Json.text(result, "name"),
              orElse(
                  Json.text(result, "phase"), last == null ? "Pending" : Json.text(last, "phase")),
              last == null ? null : value(last.path("value")),
              message,
              measurements.size()));
    }
    return new AnalysisRunView(
        Json.text(run, "metadata", "name"),
        orElse(Json.text(run, "status", "phase"), "Pending"),
        Json.text(run, "status", "message"),
        Json.text(run, "metadata", "labels", WellKnownNames.POD_TEMPLATE_HASH_LABEL),
        Json.text(run, "metadata", "creationTimestamp"),
        metrics);
  }

  private static String value(JsonNode value) {
    if (value.isMissingNode() || value.isNull()) {
      return null;
    }
    return value.isValueNode() ? value.asText() : value.toString();
  }

  private static String orElse(String value, String fallback) {
    return value == null || value.isEmpty() ? fallback : value;
  }
}
