package dev.weir.cli.review;

import com.fasterxml.jackson.databind.JsonNode;
import dev.weir.cli.review.ThresholdDirection.Direction;
import dev.weir.cli.review.ThresholdDirection.Verdict;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Analysis weakened in an AnalysisTemplate or ClusterAnalysisTemplate: a metric removed, a
 * condition loosened or dropped, more failures tolerated, a metric put in dry-run, no data counted
 * as a pass, the queries sent to another Prometheus.
 */
final class AnalysisTemplateRule implements RiskRule {

  @Override
  public void check(Change change, Risks risks) {
    if (!RolloutKinds.analysisTemplate(change.either())) {
      return;
    }
    if (change.removed()) {
      risks.add(
          Severity.WARNING,
          change,
          "",
          "the template is removed: a rollout that still names it stops at InvalidSpec, one"
              + " that no longer does is judged by less");
      return;
    }
    if (change.added()) {
      return;
    }
    Map<String, Integer> after = indexByName(change.after("spec", "metrics"));
    JsonNode metricsBefore = change.before("spec", "metrics");
    for (int i = 0; i < metricsBefore.size(); i++) {
      JsonNode before = metricsBefore.get(i);
      String name = before.path("name").asText("");
      Integer j = after.get(name);
      if (j == null) {
        risks.add(
            Severity.HIGH,
            change,
            "spec.metrics",
            "metric " + name + " is removed: releases are no longer judged by it");
        continue;
      }
      String path = "spec.metrics[" + j + "]";
      checkMetric(change, name, path, before, change.after("spec", "metrics").get(j), risks);
    }
    checkArgoDryRun(change, risks);
  }

  private static void checkMetric(
      Change change, String name, String path, JsonNode before, JsonNode after, Risks risks) {
    String metric = "metric " + name + ": ";
    checkCondition(change, metric, path, "successCondition", Verdict.SUCCESS, before, after, risks);
    checkCondition(change, metric, path, "failureCondition", Verdict.FAILURE, before, after, risks);
    int limitBefore = before.path("failureLimit").asInt(0);
    int limitAfter = after.path("failureLimit").asInt(0);
    if (limitAfter > limitBefore) {
      risks.add(
          Severity.WARNING,
          change,
          path + ".failureLimit",
          metric
              + "failureLimit raised from "
              + limitBefore
              + " to "
              + limitAfter
              + ": the release goes on after "
              + limitAfter
              + (limitAfter == 1 ? " failed measurement" : " failed measurements"));
    }
    int errorsBefore = before.path("consecutiveErrorLimit").asInt(4);
    int errorsAfter = after.path("consecutiveErrorLimit").asInt(4);
    if (errorsAfter > errorsBefore) {
      risks.add(
          Severity.INFO,
          change,
          path + ".consecutiveErrorLimit",
          metric
              + "consecutiveErrorLimit raised from "
              + errorsBefore
              + " to "
              + errorsAfter
              + ": an unanswering Prometheus goes unnoticed for longer");
    }
    if (!before.path("dryRun").asBoolean(false) && after.path("dryRun").asBoolean(false)) {
      risks.add(
          Severity.HIGH,
          change,
          path + ".dryRun",
          metric
              + "dryRun is turned on: it is still measured, but a failure no longer stops the"
              + " release");
    }
    String noDataBefore = before.path("noDataPolicy").asText("Inconclusive");
    String noDataAfter = after.path("noDataPolicy").asText("Inconclusive");
    if (noDataAfter.equals("Pass") && !noDataBefore.equals("Pass")) {
      risks.add(
          Severity.WARNING,
          change,
          path + ".noDataPolicy",
          metric
              + "noDataPolicy is now Pass (was "
              + noDataBefore
              + "): a canary that answers nothing, or a query that matches nothing, passes");
    }
    String addressBefore = before.path("provider").path("prometheus").path("address").asText(null);
    String addressAfter = after.path("provider").path("prometheus").path("address").asText(null);
    if (addressBefore != null && !Objects.equals(addressBefore, addressAfter)) {
      risks.add(
          Severity.WARNING,
          change,
          path + ".provider.prometheus.address",
          metric
              + "Prometheus address changed from "
              + addressBefore
              + " to "
              + (addressAfter == null ? "none" : addressAfter)
              + ": the thresholds were set against the old server's data, and the query (with"
              + " its credentials) now goes to the new one");
    }
  }

  private static void checkCondition(
      Change change,
      String metric,
      String path,
      String field,
      Verdict verdict,
      JsonNode before,
      JsonNode after,
      Risks risks) {
    String rawBefore = before.path(field).asText(null);
    String rawAfter = after.path(field).asText(null);
    if (rawBefore == null || rawBefore.isBlank()) {
      return;
    }
    if (rawAfter == null || rawAfter.isBlank()) {
      risks.add(
          Severity.HIGH,
          change,
          path,
          metric
              + field
              + " `"
              + rawBefore.strip()
              + "` is removed: "
              + (verdict == Verdict.SUCCESS
                  ? "measurements no longer need to meet it to pass"
                  : "no measurement fails by it any more"));
      return;
    }
    // A threshold is often an arg of the template ({{args.threshold}}): judged with its default.
    String textBefore = TemplateArgs.expand(rawBefore, change.before("spec", "args")).strip();
    String textAfter = TemplateArgs.expand(rawAfter, change.after("spec", "args")).strip();
    String at =
        rawBefore.equals(rawAfter)
            ? TemplateArgs.changedArg(
                rawAfter, change.before("spec", "args"), change.after("spec", "args"))
            : path + "." + field;
    Direction direction = ThresholdDirection.compare(textBefore, textAfter, verdict);
    String edit = " `" + textBefore + "` → `" + textAfter + "`";
    if (direction == Direction.LOOSER) {
      risks.add(
          Severity.WARNING,
          change,
          at,
          metric
              + field
              + " loosened,"
              + edit
              + ": "
              + (verdict == Verdict.SUCCESS
                  ? "a worse canary now passes"
                  : "a worse canary now has to be worse still to fail"));
    } else if (direction == Direction.UNKNOWN) {
      risks.add(
          Severity.INFO,
          change,
          at,
          metric + field + " changed," + edit + ": check that it is not looser");
    }
  }

  /** Argo Rollouts' form: {@code spec.dryRun: [{metricName: NAME}]}, {@code *} for all. */
  private static void checkArgoDryRun(Change change, Risks risks) {
    JsonNode before = change.before("spec", "dryRun");
    JsonNode after = change.after("spec", "dryRun");
    for (int i = 0; i < after.size(); i++) {
      String name = after.get(i).path("metricName").asText("");
      boolean already = false;
      for (JsonNode entry : before) {
        already |= entry.path("metricName").asText("").equals(name);
      }
      if (!already) {
        risks.add(
            Severity.HIGH,
            change,
            "spec.dryRun[" + i + "]",
            (name.equals("*") ? "every metric" : "metric " + name)
                + " is now a dry run: still measured, but a failure no longer stops the release");
      }
    }
  }

  private static Map<String, Integer> indexByName(JsonNode metrics) {
    var index = new LinkedHashMap<String, Integer>();
    for (int i = 0; i < metrics.size(); i++) {
      index.putIfAbsent(metrics.get(i).path("name").asText(""), i);
    }
    return index;
  }
}
