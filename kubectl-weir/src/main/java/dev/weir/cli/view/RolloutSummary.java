package dev.weir.cli.view;

import com.fasterxml.jackson.databind.JsonNode;
import dev.weir.cli.Json;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * One line of {@code kubectl weir list rollouts}, as data.
 *
 * @param currentStepIndex 0-based, as in status
 */
public record RolloutSummary(
    String namespace,
    String name,
    String strategy,
    String phase,
    Integer currentStepIndex,
    int stepCount,
    Integer setWeight,
    Integer actualWeight,
    int desired,
    int current,
    int updated,
    int ready,
    int available,
    String created,
    String message) {

  public static RolloutSummary of(JsonNode rollout) {
    JsonNode spec = rollout.path("spec");
    JsonNode status = rollout.path("status");
    return new RolloutSummary(
        Json.text(rollout, "metadata", "namespace"),
        Json.text(rollout, "metadata", "name"),
        RolloutViews.strategy(spec),
        RolloutViews.phase(status),
        Json.integer(status, "currentStepIndex"),
        Json.at(spec, "strategy", "canary", "steps").size(),
        Json.integer(status, "currentWeight"),
        Json.integer(status, "verifiedWeight"),
        Json.integer(spec, 1, "replicas"),
        Json.integer(status, 0, "replicas"),
        Json.integer(status, 0, "updatedReplicas"),
        Json.integer(status, 0, "readyReplicas"),
        Json.integer(status, 0, "availableReplicas"),
        Json.text(rollout, "metadata", "creationTimestamp"),
        Json.text(status, "message"));
  }

  /** The step as the table shows it: 1-based while a release is under way, like the tree. */
  String step() {
    if (currentStepIndex == null) {
      return "-";
    }
    return Math.min(currentStepIndex + 1, stepCount) + "/" + stepCount;
  }

  /** The table's columns; NAMESPACE first with {@code -A}. */
  public static List<String> header(boolean allNamespaces) {
    var header = new ArrayList<String>();
    if (allNamespaces) {
      header.add("NAMESPACE");
    }
    header.addAll(
        List.of(
            "NAME",
            "STRATEGY",
            "STATUS",
            "STEP",
            "SET-WEIGHT",
            "READY",
            "DESIRED",
            "UP-TO-DATE",
            "AVAILABLE",
            "AGE"));
    return header;
  }

  public List<String> cells(boolean allNamespaces, Instant now) {
    var cells = new ArrayList<String>();
    if (allNamespaces) {
      cells.add(namespace);
    }
    cells.addAll(
        List.of(
            name,
            strategy,
            phase,
            step(),
            setWeight == null ? "-" : setWeight.toString(),
            ready + "/" + desired,
            Integer.toString(desired),
            Integer.toString(updated),
            Integer.toString(available),
            Ages.since(created, now)));
    return cells;
  }
}
