package dev.weir.cli.review;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A release that is judged less or sees less before it takes all the traffic: steps, pauses and
 * analyses removed from a Rollout, a jump to 100 %, a blue-green release that no longer waits.
 */
final class ReleaseStepRule implements RiskRule {

  private static final String STEPS = "spec.strategy.canary.steps";

  /** Below this share, going to 100 % at once is a jump. */
  private static final int JUMP_BELOW = 50;

  @Override
  public void check(Change change, Risks risks) {
    if (change.base() == null
        || change.head() == null
        || !RolloutKinds.rollout(change.head())
        || !RolloutKinds.rollout(change.base())) {
      return;
    }
    JsonNode before = change.before("spec", "strategy", "canary", "steps");
    JsonNode after = change.after("spec", "strategy", "canary", "steps");
    Set<String> analysedAfter = new LinkedHashSet<>(analysisTemplates(after));
    analysedAfter.addAll(templates(change.after("spec", "strategy", "canary", "analysis")));
    if (before.size() > 0 && !change.after("spec", "strategy", "canary").isMissingNode()) {
      if (after.size() == 0) {
        risks.add(
            Severity.HIGH,
            change,
            "spec.strategy.canary",
            "all "
                + before.size()
                + " steps are removed: the next release takes all the traffic at once, with no"
                + " pause and no analysis step");
      } else {
        checkSteps(change, before, after, analysedAfter, risks);
      }
    }
    checkBackground(change, analysedAfter, risks);
    checkBlueGreen(change, risks);
  }

  private static void checkSteps(
      Change change, JsonNode before, JsonNode after, Set<String> analysedAfter, Risks risks) {
    boolean named = false;
    for (int i = 0; i < before.size(); i++) {
      for (String template : templates(before.get(i).path("analysis"))) {
        if (!analysedAfter.contains(template)) {
          named = true;
          risks.add(
              Severity.HIGH,
              change,
              near(i, after),
              "the analysis step with template "
                  + template
                  + " (step "
                  + (i + 1)
                  + " before) is removed: the release is no longer judged by it");
        }
      }
    }
    int analysesBefore = count(before, "analysis");
    int analysesAfter = count(after, "analysis");
    if (!named && analysesAfter < analysesBefore) {
      risks.add(
          Severity.HIGH,
          change,
          STEPS,
          "an analysis step is removed ("
              + analysesBefore
              + " before, "
              + analysesAfter
              + " now): the release is judged at fewer weights");
    }
    int gatesBefore = manualPauses(before);
    int gatesAfter = manualPauses(after);
    if (gatesAfter < gatesBefore) {
      risks.add(
          Severity.HIGH,
          change,
          near(lastManualPause(before), after),
          "a manual gate (pause: {}) is removed: the release goes on without waiting for"
              + " `kubectl weir promote`");
    }
    int timedBefore = count(before, "pause") - gatesBefore;
    int timedAfter = count(after, "pause") - gatesAfter;
    if (timedAfter < timedBefore) {
      risks.add(
          Severity.WARNING,
          change,
          STEPS,
          "a timed pause is removed ("
              + timedBefore
              + " before, "
              + timedAfter
              + " now): less time to see the canary before its share grows");
    }
    int jumpBefore = lastWeightBeforeFull(before);
    int jumpAfter = lastWeightBeforeFull(after);
    List<Integer> ladderBefore = weights(before);
    List<Integer> ladderAfter = weights(after);
    if (jumpAfter < jumpBefore && jumpAfter < JUMP_BELOW) {
      int full = firstFullWeight(after);
      risks.add(
          Severity.HIGH,
          change,
          full < 0 ? STEPS : STEPS + "[" + full + "].setWeight",
          "the canary now goes from "
              + jumpAfter
              + " % to 100 % at once (from "
              + jumpBefore
              + " % before): most users get the new revision before it is judged at a larger"
              + " share");
    } else if (ladderAfter.size() < ladderBefore.size()) {
      risks.add(
          Severity.WARNING,
          change,
          STEPS,
          "fewer weight steps: "
              + ladder(ladderBefore)
              + " before, "
              + ladder(ladderAfter)
              + " now");
    }
  }

  private static void checkBackground(Change change, Set<String> analysedAfter, Risks risks) {
    JsonNode background = change.before("spec", "strategy", "canary", "analysis");
    for (String template : templates(background)) {
      if (!analysedAfter.contains(template)) {
        risks.add(
            Severity.HIGH,
            change,
            "spec.strategy.canary.analysis",
            "the background analysis with template "
                + template
                + " is removed: nothing judges the release by it between steps");
      }
    }
    int startBefore = background.path("startingStep").asInt(0);
    JsonNode after = change.after("spec", "strategy", "canary", "analysis");
    int startAfter = after.path("startingStep").asInt(0);
    if (!after.isMissingNode() && !templates(after).isEmpty() && startAfter > startBefore) {
      risks.add(
          Severity.WARNING,
          change,
          "spec.strategy.canary.analysis.startingStep",
          "the background analysis starts later, at step "
              + startAfter
              + " instead of "
              + startBefore
              + ": the first steps go unjudged");
    }
  }

  private static void checkBlueGreen(Change change, Risks risks) {
    for (String field : List.of("prePromotionAnalysis", "postPromotionAnalysis")) {
      Set<String> after =
          new LinkedHashSet<>(templates(change.after("spec", "strategy", "blueGreen", field)));
      for (String template : templates(change.before("spec", "strategy", "blueGreen", field))) {
        if (!after.contains(template)) {
          risks.add(
              Severity.HIGH,
              change,
              "spec.strategy.blueGreen." + field,
              field
                  + " with template "
                  + template
                  + " is removed: the "
                  + (field.startsWith("pre") ? "preview" : "promoted revision")
                  + " is no longer judged by it");
        }
      }
    }
    JsonNode autoBefore = change.before("spec", "strategy", "blueGreen", "autoPromotionEnabled");
    JsonNode autoAfter = change.after("spec", "strategy", "blueGreen", "autoPromotionEnabled");
    if (autoBefore.isBoolean()
        && !autoBefore.asBoolean()
        && !change.after("spec", "strategy", "blueGreen").isMissingNode()
        && autoAfter.asBoolean(true)) {
      risks.add(
          Severity.WARNING,
          change,
          "spec.strategy.blueGreen.autoPromotionEnabled",
          "the blue-green release now switches traffic by itself: it no longer waits for"
              + " `kubectl weir promote`");
    }
  }

  /** The step of the head nearest to where step {@code i} of the base was. */
  private static String near(int i, JsonNode after) {
    return STEPS + "[" + Math.max(0, Math.min(i, after.size() - 1)) + "]";
  }

  private static List<String> templates(JsonNode analysis) {
    var names = new ArrayList<String>();
    analysis.path("templates").forEach(t -> names.add(t.path("templateName").asText("")));
    return names;
  }

  private static List<String> analysisTemplates(JsonNode steps) {
    var names = new ArrayList<String>();
    steps.forEach(step -> names.addAll(templates(step.path("analysis"))));
    return names;
  }

  private static int count(JsonNode steps, String action) {
    int n = 0;
    for (JsonNode step : steps) {
      n += step.has(action) ? 1 : 0;
    }
    return n;
  }

  /** {@code pause: {}}: waits for a promotion, however long. */
  private static int manualPauses(JsonNode steps) {
    int n = 0;
    for (JsonNode step : steps) {
      n += step.has("pause") && !step.path("pause").has("duration") ? 1 : 0;
    }
    return n;
  }

  private static int lastManualPause(JsonNode steps) {
    int last = 0;
    for (int i = 0; i < steps.size(); i++) {
      JsonNode step = steps.get(i);
      if (step.has("pause") && !step.path("pause").has("duration")) {
        last = i;
      }
    }
    return last;
  }

  private static List<Integer> weights(JsonNode steps) {
    var weights = new ArrayList<Integer>();
    for (JsonNode step : steps) {
      if (step.path("setWeight").isNumber()) {
        weights.add(step.path("setWeight").asInt());
      }
    }
    return weights;
  }

  /**
   * The canary's share just before it gets all the traffic: at a {@code setWeight: 100}, or at the
   * promotion after the last step.
   */
  private static int lastWeightBeforeFull(JsonNode steps) {
    int weight = 0;
    for (JsonNode step : steps) {
      if (step.path("setWeight").isNumber()) {
        if (step.path("setWeight").asInt() >= 100) {
          return weight;
        }
        weight = step.path("setWeight").asInt();
      }
    }
    return weight;
  }

  private static int firstFullWeight(JsonNode steps) {
    for (int i = 0; i < steps.size(); i++) {
      if (steps.get(i).path("setWeight").asInt(0) >= 100) {
        return i;
      }
    }
    return -1;
  }

  private static String ladder(List<Integer> weights) {
    return weights.stream().map(w -> w + " %").collect(Collectors.joining(" → "));
  }
}
