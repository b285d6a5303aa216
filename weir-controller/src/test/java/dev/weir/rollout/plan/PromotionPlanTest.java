package dev.weir.rollout.plan;

import static dev.weir.rollout.plan.PlannerFixtures.NOW;
import static dev.weir.rollout.plan.PlannerFixtures.V1;
import static dev.weir.rollout.plan.PlannerFixtures.V2;
import static dev.weir.rollout.plan.PlannerFixtures.canaryV2At;
import static dev.weir.rollout.plan.PlannerFixtures.classicSpec;
import static dev.weir.rollout.plan.PlannerFixtures.plan;
import static dev.weir.rollout.plan.PlannerFixtures.releasingV2;
import static dev.weir.rollout.plan.PlannerFixtures.revision;
import static dev.weir.rollout.plan.PlannerFixtures.seen;
import static dev.weir.rollout.plan.PlannerFixtures.status;
import static dev.weir.rollout.plan.PlannerFixtures.statusOf;
import static dev.weir.rollout.plan.PlannerFixtures.traffic;
import static dev.weir.rollout.plan.PlannerRow.asksFor;
import static dev.weir.rollout.plan.PlannerRow.asksForNothing;
import static dev.weir.rollout.plan.PlannerRow.row;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Named.named;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import dev.weir.api.v1alpha1.RolloutPhase;
import dev.weir.rollout.plan.Action.Pin;
import dev.weir.rollout.plan.Action.ScaleRevision;
import dev.weir.rollout.plan.Action.SetWeight;
import dev.weir.rollout.plan.PlannerFixtures.ObservationBuilder;
import dev.weir.traffic.Side;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Promotion, traffic first: after the last step the canary scales to full size, all traffic moves
 * to it and is read back, both sides are pointed at it, and only then, after scaleDownDelaySeconds,
 * does the old stable scale down. The spec is examples/canary-istio (5 replicas; steps 10 %, pause,
 * 30 %, pause 2m, 60 %, pause 2m); v1 is stable, v2 the canary.
 */
class PromotionPlanTest {

  /** v2 declared, both sides on v2 at this weight, v2 with its 5 pods; add v1. */
  private static ObservationBuilder bothSidesOnV2At(int weight) {
    return seen()
        .declared(V2)
        .traffic(traffic().canaryWeight(weight).stableSelects(V2).canarySelects(V2))
        .revisions(revision(V2).replicas(5).available(5));
  }

  /** 100 % read back, both sides on v2; v1 and v2 both have their 5 pods. */
  private static ObservationBuilder allTrafficOnV2() {
    return bothSidesOnV2At(100).revisions(revision(V1).replicas(5).available(5));
  }

  static Stream<PlannerRow> promotion() {
    Instant at = NOW.plusSeconds(30);
    return Stream.of(
        row("last pause over: the canary scales to full size before any traffic moves")
            .given(releasingV2().atStep(5).weight(60).pausedSince(NOW.minusSeconds(120)))
            .seeing(canaryV2At(60).revisions(revision(V2).replicas(3).available(3)))
            .then(
                asksFor(new ScaleRevision(V2, 5, null))
                    .phase(RolloutPhase.Progressing)
                    .step(6)
                    .weight(60)),
        row("canary at full size: all traffic to it")
            .given(releasingV2().atStep(6).weight(60))
            .seeing(canaryV2At(60).revisions(revision(V2).replicas(5).available(5)))
            .then(asksFor(new SetWeight(100)).phase(RolloutPhase.Progressing).step(6)),
        row("100 % read back: the stable side is pointed at the new revision")
            .given(releasingV2().atStep(6).weight(100))
            .seeing(canaryV2At(100).revisions(revision(V2).replicas(5).available(5)))
            .then(
                asksFor(new Pin(Side.STABLE, V2))
                    .phase(RolloutPhase.Progressing)
                    .step(6)
                    .weight(100)),
        row("both sides on v2: v2 is stable, v1 keeps its pods for 30s")
            .given(releasingV2().atStep(6).weight(100))
            .seeing(allTrafficOnV2())
            .then(
                asksFor(new ScaleRevision(V1, 5, at))
                    .phase(RolloutPhase.Progressing)
                    .step(6)
                    .weight(100)
                    .events("Promoted")),
        row("steady on v2: the weight goes back to 0 (both sides are v2)")
            .given(status().steadyOn(V2).atStep(6).weight(100))
            .seeing(
                bothSidesOnV2At(100)
                    .revisions(revision(V1).replicas(5).available(5).scaleDownAt(at)))
            .then(asksFor(new SetWeight(0)).phase(RolloutPhase.Progressing).step(6).weight(0)),
        row("10s later: v1 still has its pods")
            .given(status().steadyOn(V2).atStep(6).weight(0))
            .seeing(
                bothSidesOnV2At(0)
                    .at(NOW.plusSeconds(10))
                    .revisions(revision(V1).replicas(5).available(5).scaleDownAt(at)))
            .then(asksForNothing().phase(RolloutPhase.Healthy).step(6).weight(0)),
        row("30s later: v1 scales to 0")
            .given(status().steadyOn(V2).atStep(6).weight(0))
            .seeing(
                bothSidesOnV2At(0)
                    .at(at)
                    .revisions(revision(V1).replicas(5).available(5).scaleDownAt(at)))
            .then(
                asksFor(new ScaleRevision(V1, 0, null))
                    .phase(RolloutPhase.Healthy)
                    .step(6)
                    .weight(0)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("promotion")
  void promotionMovesTrafficBeforeTheOldStableGoes(PlannerRow row) {
    var plan = row.planAndCheck();
    assertThat(plan.status().currentPodHash).isEqualTo(V2);
    if (!row.seen().now().isBefore(NOW.plusSeconds(30)) || !row.given().stableRS.equals(V1)) {
      return;
    }
    assertThat(plan.actions())
        .as("never an immediate scale-down of the old stable")
        .noneMatch(a -> a instanceof ScaleRevision s && s.hash().equals(V1) && s.replicas() < 5);
  }

  @Test
  void promotionRequeuesForTheScaleDownAndSaysWhichRevisionIsStable() {
    var plan = plan(releasingV2().atStep(6).weight(100), allTrafficOnV2());

    assertThat(plan.status().stableRS).isEqualTo(V2);
    assertThat(plan.requeueAfter()).contains(Duration.ofSeconds(30));
    assertThat(plan.events().get(0).message()).contains("v2 promoted to stable, replacing v1");
  }

  static Stream<Arguments> scaleDownDelay() {
    return Stream.of(
        arguments(named("scaleDownDelaySeconds unset", null), 30),
        arguments(named("scaleDownDelaySeconds 30", 30), 30),
        arguments(named("scaleDownDelaySeconds 300", 300), 300),
        arguments(named("scaleDownDelaySeconds 1", 1), 1));
  }

  @ParameterizedTest(name = "{0}: v1 goes at now + {1}s")
  @MethodSource("scaleDownDelay")
  void theOldStableGoesAfterScaleDownDelaySeconds(Integer delay, long seconds) {
    var spec = classicSpec();
    spec.strategy.canary.scaleDownDelaySeconds = delay;

    var plan = plan(spec, releasingV2().atStep(6).weight(100), allTrafficOnV2());

    assertThat(plan.actions()).containsExactly(new ScaleRevision(V1, 5, NOW.plusSeconds(seconds)));
    assertThat(plan.requeueAfter()).contains(Duration.ofSeconds(seconds));
  }

  @Test
  void givenStableV1WhenV2IsReleasedThenTrafficMovesStepByStepAndV1GoesLast() {
    var cluster = SimulatedCluster.stableOn(classicSpec(), V1);

    cluster.declare(V2).reconcile();
    assertThat(cluster.status.currentStepIndex).isEqualTo(1);
    assertThat(cluster.status.phase).isEqualTo(RolloutPhase.Paused);
    assertThat(cluster.weight).isEqualTo(10);
    assertThat(cluster.replicas(V2)).isEqualTo(1);
    assertThat(cluster.pins)
        .containsEntry(Side.STABLE, Set.of(V1))
        .containsEntry(Side.CANARY, Set.of(V2));
    assertThat(cluster.events)
        .extracting(e -> e.reason().name())
        .containsExactly("NewRevision", "WeightSet", "AwaitingPromotion");

    cluster.promote().reconcile();
    assertThat(cluster.status.currentStepIndex).isEqualTo(3);
    assertThat(cluster.weight).isEqualTo(30);
    assertThat(cluster.replicas(V2)).isEqualTo(2);
    assertThat(cluster.last.requeueAfter()).contains(Duration.ofMinutes(2));

    cluster.advance(Duration.ofMinutes(2));
    cluster.reconcile();
    assertThat(cluster.status.currentStepIndex).isEqualTo(5);
    assertThat(cluster.weight).isEqualTo(60);
    assertThat(cluster.replicas(V2)).isEqualTo(3);

    cluster.advance(Duration.ofMinutes(2));
    Instant promotedAt = cluster.now;
    cluster.reconcile();
    assertThat(cluster.status.stableRS).isEqualTo(V2);
    assertThat(cluster.status.phase).isEqualTo(RolloutPhase.Healthy);
    assertThat(cluster.pins)
        .containsEntry(Side.STABLE, Set.of(V2))
        .containsEntry(Side.CANARY, Set.of(V2));
    assertThat(cluster.replicas(V1)).as("v1 keeps its pods for 30s").isEqualTo(5);
    assertThat(cluster.last.requeueAfter()).contains(Duration.ofSeconds(30));

    cluster.advance(Duration.ofSeconds(30));
    cluster.reconcile();
    assertThat(cluster.replicas(V1)).isZero();
    assertThat(statusOf(cluster.status, StatusConditions.COMPLETED)).isEqualTo("True");

    var log = cluster.actions();
    int full = log.indexOf(new SetWeight(100));
    int pin = log.indexOf(new Pin(Side.STABLE, V2));
    int schedule = log.indexOf(new ScaleRevision(V1, 5, promotedAt.plusSeconds(30)));
    int gone = log.indexOf(new ScaleRevision(V1, 0, null));
    assertThat(List.of(full, pin, schedule, gone)).doesNotContain(-1).isSorted();
    assertThat(cluster.log.get(gone).at()).isEqualTo(promotedAt.plusSeconds(30));
    assertThat(log)
        .filteredOn(a -> a instanceof ScaleRevision s && s.hash().equals(V1))
        .containsExactly(
            new ScaleRevision(V1, 5, promotedAt.plusSeconds(30)), new ScaleRevision(V1, 0, null));
    assertThat(cluster.events)
        .extracting(e -> e.reason().name())
        .containsExactly(
            "NewRevision",
            "WeightSet",
            "AwaitingPromotion",
            "StepPromoted",
            "WeightSet",
            "WeightSet",
            "Promoted");
    assertThat(cluster.violations).isEmpty();
  }
}
