package dev.weir.rollout.plan;

import static dev.weir.rollout.plan.PlannerFixtures.V1;
import static dev.weir.rollout.plan.PlannerFixtures.V2;
import static dev.weir.rollout.plan.PlannerFixtures.condition;
import static dev.weir.rollout.plan.PlannerFixtures.status;
import static dev.weir.rollout.plan.PlannerFixtures.statusOf;
import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.api.v1alpha1.RolloutPhase;
import dev.weir.api.v1alpha1.RolloutStatus;
import dev.weir.rollout.plan.StatusConditions.Outcome;
import io.fabric8.kubernetes.api.model.Condition;
import java.time.Instant;
import java.util.ArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The conditions Flux, {@code kubectl wait} and Argo CD read, per phase. */
class StatusConditionsTest {

  private static final Instant T1 = Instant.parse("2026-11-21T12:00:00.400Z");
  private static final Instant T2 = Instant.parse("2026-11-21T12:05:00Z");
  private static final Instant T3 = Instant.parse("2026-11-21T12:10:00Z");

  /** v2 released over a stable v1. */
  private static RolloutStatus releasing() {
    return status().stable(V1).canary(V2).build();
  }

  @ParameterizedTest(name = "{0}: Ready {1}, Reconciling {2}, Stalled {3}, Paused {4}")
  @CsvSource({
    "Healthy,     True,  False, False, False",
    "Progressing, False, True,  False, False",
    "Paused,      False, True,  False, True",
    "Degraded,    False, False, True,  False",
  })
  void theKstatusTrioFollowsThePhase(
      RolloutPhase phase, String ready, String reconciling, String stalled, String paused) {
    var status = status().steadyOn(V1).build();

    StatusConditions.describe(status, new Outcome(phase, "Why", "what", false, false), 7, T1);

    assertThat(status.phase).isEqualTo(phase);
    assertThat(status.message).isEqualTo("what");
    assertThat(statusOf(status, StatusConditions.READY)).isEqualTo(ready);
    assertThat(statusOf(status, StatusConditions.RECONCILING)).isEqualTo(reconciling);
    assertThat(statusOf(status, StatusConditions.STALLED)).isEqualTo(stalled);
    assertThat(statusOf(status, StatusConditions.PAUSED)).isEqualTo(paused);
    assertThat(statusOf(status, StatusConditions.ABORTED)).isEqualTo("False");
    assertThat(statusOf(status, StatusConditions.INVALID_SPEC)).isEqualTo("False");
    assertThat(status.conditions)
        .extracting(Condition::getType)
        .containsExactlyInAnyOrder(
            "Ready",
            "Reconciling",
            "Stalled",
            "Progressing",
            "Paused",
            "Aborted",
            "InvalidSpec",
            "Completed");
    assertThat(status.conditions)
        .allSatisfy(c -> assertThat(c.getObservedGeneration()).isEqualTo(7));
  }

  @ParameterizedTest(name = "{0} with {1} stable and {2} declared: Completed {3}")
  @CsvSource({
    "Healthy,     v1, v1, True",
    "Healthy,     v1, v2, False",
    "Progressing, v1, v1, False",
    "Degraded,    v1, v1, False",
  })
  void completedOnlyWhenTheDeclaredRevisionIsStableAndHealthy(
      RolloutPhase phase, String stable, String current, String completed) {
    var status = status().stable(stable).canary(current).build();

    StatusConditions.describe(status, new Outcome(phase, "Why", "what", false, false), 1, T1);

    assertThat(statusOf(status, StatusConditions.COMPLETED)).isEqualTo(completed);
  }

  @Test
  void anAbortIsStalledAndSaysWhy() {
    var status = releasing();

    StatusConditions.describe(
        status,
        new Outcome(RolloutPhase.Degraded, "Aborted", "error rate 20%", true, false),
        3,
        T1);

    var aborted = condition(status, StatusConditions.ABORTED);
    assertThat(aborted.getStatus()).isEqualTo("True");
    assertThat(aborted.getReason()).isEqualTo("Aborted");
    assertThat(aborted.getMessage()).isEqualTo("error rate 20%");
    var stalled = condition(status, StatusConditions.STALLED);
    assertThat(stalled.getStatus()).isEqualTo("True");
    assertThat(stalled.getReason()).isEqualTo("Aborted");
    assertThat(statusOf(status, StatusConditions.READY)).isEqualTo("False");
  }

  @Test
  void anInvalidSpecSaysWhichField() {
    var status = releasing();
    String message = "spec.strategy.canary.steps[2].setWeight: 120 is out of range 0..100";

    StatusConditions.describe(
        status, new Outcome(RolloutPhase.Degraded, "InvalidSpec", message, false, true), 3, T1);

    var invalid = condition(status, StatusConditions.INVALID_SPEC);
    assertThat(invalid.getStatus()).isEqualTo("True");
    assertThat(invalid.getReason()).isEqualTo("InvalidSpec");
    assertThat(invalid.getMessage()).isEqualTo(message);
    assertThat(statusOf(status, StatusConditions.STALLED)).isEqualTo("True");
  }

  @Test
  void lastTransitionTimeMovesOnlyWhenTheStatusFlips() {
    var status = releasing();
    String t1 = "2026-11-21T12:00:00Z";
    String t3 = "2026-11-21T12:10:00Z";

    StatusConditions.describe(
        status, new Outcome(RolloutPhase.Progressing, "SettingWeight", "10%", false, false), 1, T1);
    assertThat(status.conditions)
        .allSatisfy(c -> assertThat(c.getLastTransitionTime()).isEqualTo(t1));

    // Still progressing, another reason and message: nothing flips, every time is kept.
    StatusConditions.describe(
        status,
        new Outcome(RolloutPhase.Progressing, "WaitingForPods", "1/2", false, false),
        2,
        T2);
    assertThat(status.conditions)
        .allSatisfy(c -> assertThat(c.getLastTransitionTime()).isEqualTo(t1));
    assertThat(condition(status, StatusConditions.RECONCILING).getReason())
        .isEqualTo("WaitingForPods");
    assertThat(condition(status, StatusConditions.RECONCILING).getMessage()).isEqualTo("1/2");
    assertThat(status.conditions)
        .allSatisfy(c -> assertThat(c.getObservedGeneration()).isEqualTo(2));

    // Healthy: Ready and Reconciling flip and take the new time; Stalled stays as it was.
    status.stableRS = V2;
    StatusConditions.describe(
        status, new Outcome(RolloutPhase.Healthy, "Healthy", "stable", false, false), 2, T3);
    assertThat(condition(status, StatusConditions.READY).getLastTransitionTime()).isEqualTo(t3);
    assertThat(condition(status, StatusConditions.RECONCILING).getLastTransitionTime())
        .isEqualTo(t3);
    assertThat(condition(status, StatusConditions.COMPLETED).getLastTransitionTime()).isEqualTo(t3);
    assertThat(condition(status, StatusConditions.STALLED).getLastTransitionTime()).isEqualTo(t1);
    assertThat(condition(status, StatusConditions.ABORTED).getLastTransitionTime()).isEqualTo(t1);
  }

  @Test
  void setAddsAConditionOnceAndUpdatesItInPlace() {
    var conditions = new ArrayList<Condition>();

    StatusConditions.set(conditions, "Ready", false, "", "starting", 1, T1);
    StatusConditions.set(conditions, "Ready", false, "Waiting", "pods", 2, T2);

    assertThat(conditions).hasSize(1);
    var ready = conditions.get(0);
    assertThat(ready.getStatus()).isEqualTo("False");
    assertThat(ready.getReason()).isEqualTo("Waiting");
    assertThat(ready.getMessage()).isEqualTo("pods");
    assertThat(ready.getObservedGeneration()).isEqualTo(2);
    assertThat(ready.getLastTransitionTime()).isEqualTo("2026-11-21T12:00:00Z");
  }

  @Test
  void anEmptyReasonFallsBackToTheType() {
    var conditions = new ArrayList<Condition>();

    StatusConditions.set(conditions, "Paused", false, "", "", 1, T1);

    // Kubernetes rejects a condition without a reason.
    assertThat(conditions.get(0).getReason()).isEqualTo("Paused");
  }
}
