package dev.weir.rollout.plan;

import dev.weir.api.v1alpha1.PromoteRequest;
import dev.weir.api.v1alpha1.RolloutSpec;
import dev.weir.api.v1alpha1.RolloutStatus;
import dev.weir.api.v1alpha1.SpecProblem;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * A status Weir cannot have written: a hand edit, or a spec edit that took away the step the
 * release was at. Acting on it would guess (a step index past the end would promote; a stable
 * revision without a ReplicaSet would point the stable Service at no pods; a weight of 150 would be
 * written to the routes as 150/-50), so it is reported like an invalid spec, naming the status
 * field, and nothing moves. What starts the release over is not refused: a new template, an abort
 * and its retry (back to step 0), a full promote.
 */
final class StatusProblems {

  private StatusProblems() {}

  static List<SpecProblem> of(RolloutSpec spec, RolloutStatus status, Observation observed) {
    var problems = new ArrayList<SpecProblem>();
    times(status, problems);
    String declared = observed.templateHash();
    if (status.stableRS == null || status.stableRS.equals(declared)) {
      return problems;
    }
    if (!observed.revisions().containsKey(status.stableRS)) {
      problems.add(
          new SpecProblem(
              "status.stableRS",
              "revision "
                  + status.stableRS
                  + " has no ReplicaSet, and Weir makes one only from the declared template"));
    }
    var canary = spec.strategy.canary;
    boolean newTemplate = !declared.equals(status.currentPodHash);
    if (canary == null || newTemplate || Boolean.TRUE.equals(status.abort)) {
      // A new template starts over at step 0 and weight 0; an abort moves the weight to 0.
      return problems;
    }
    // The weight a release holds is written to the routes as it stands, after a retry too.
    Integer weight = status.currentWeight;
    if (weight != null && (weight < 0 || weight > 100)) {
      problems.add(new SpecProblem("status.currentWeight", weight + " is out of range 0..100"));
    }
    boolean restarting = status.abortedAt != null || status.promote == PromoteRequest.Full;
    int steps = canary.steps == null ? 0 : canary.steps.size();
    Integer index = status.currentStepIndex;
    if (!restarting && index != null && (index < 0 || index > steps)) {
      problems.add(
          new SpecProblem(
              "status.currentStepIndex",
              index + " is out of range 0.." + steps + " (the steps of spec.strategy.canary)"));
    }
    return problems;
  }

  /** Times Weir writes and reads back; one that does not parse was not written by Weir. */
  private static void times(RolloutStatus status, List<SpecProblem> problems) {
    time("status.progressedAt", status.progressedAt, problems);
    time("status.abortedAt", status.abortedAt, problems);
    for (int i = 0; i < status.pauseConditions.size(); i++) {
      var pause = status.pauseConditions.get(i);
      String field = "status.pauseConditions[" + i + "].startTime";
      if (pause == null || pause.startTime == null) {
        problems.add(new SpecProblem(field, "required"));
      } else {
        time(field, pause.startTime, problems);
      }
    }
    if (status.blueGreen != null) {
      time("status.blueGreen.previewReadyAt", status.blueGreen.previewReadyAt, problems);
    }
  }

  private static void time(String field, String value, List<SpecProblem> problems) {
    if (value == null) {
      return;
    }
    try {
      Instant.parse(value);
    } catch (DateTimeParseException e) {
      problems.add(new SpecProblem(field, "'" + value + "' is not a time (RFC 3339, UTC)"));
    }
  }
}
