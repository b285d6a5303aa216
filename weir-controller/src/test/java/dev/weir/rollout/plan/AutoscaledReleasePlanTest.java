package dev.weir.rollout.plan;

import static dev.weir.rollout.plan.PlannerFixtures.NOW;
import static dev.weir.rollout.plan.PlannerFixtures.PAUSE_STEP;
import static dev.weir.rollout.plan.PlannerFixtures.V1;
import static dev.weir.rollout.plan.PlannerFixtures.V2;
import static dev.weir.rollout.plan.PlannerFixtures.basicSpec;
import static dev.weir.rollout.plan.PlannerFixtures.canaryV2At;
import static dev.weir.rollout.plan.PlannerFixtures.classicSpec;
import static dev.weir.rollout.plan.PlannerFixtures.pauseStep;
import static dev.weir.rollout.plan.PlannerFixtures.plan;
import static dev.weir.rollout.plan.PlannerFixtures.releasingV2;
import static dev.weir.rollout.plan.PlannerFixtures.revision;
import static dev.weir.rollout.plan.PlannerFixtures.steps;
import static dev.weir.rollout.plan.PlannerFixtures.weightStep;
import static dev.weir.rollout.plan.PlannerRow.asksFor;
import static dev.weir.rollout.plan.PlannerRow.asksForNothing;
import static dev.weir.rollout.plan.PlannerRow.expect;
import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.api.v1alpha1.PauseCondition;
import dev.weir.api.v1alpha1.RolloutPhase;
import dev.weir.api.v1alpha1.RolloutSpec;
import dev.weir.rollout.plan.Action.ScaleRevision;
import dev.weir.rollout.plan.Action.SetWeight;
import dev.weir.traffic.Side;
import java.time.Duration;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A HorizontalPodAutoscaler sets spec.replicas through the scale subresource, in the middle of a
 * release too. The count is the total: the canary's share of it follows the weight, the stable side
 * never has more pods than it, a change is honoured on both sides at once and is no progress (no
 * step advances, no pause starts again), and at promotion the new revision is brought to the count
 * of the moment before traffic moves. With dynamicStableScale the stable side keeps only its share
 * of the traffic, given up after the weight has moved and taken back before it moves back. The spec
 * is examples/canary-istio (steps 10 %, pause, 30 %, pause 2m, 60 %, pause 2m); v1 is stable, v2
 * the canary.
 */
class AutoscaledReleasePlanTest {

  private static RolloutSpec scaledTo(int replicas) {
    var spec = classicSpec();
    spec.replicas = replicas;
    return spec;
  }

  private static RolloutSpec dynamic(RolloutSpec spec) {
    spec.strategy.canary.dynamicStableScale = true;
    return spec;
  }

  @ParameterizedTest(
      name = "paused at 30 % (5 + 2 pods), spec.replicas {0}: stable {1}, canary {2}")
  @CsvSource({"8, 8, 3", "10, 10, 3", "2, 2, 1", "1, 1, 1", "0, 0, 0"})
  void aNewCountMidPauseResizesBothSidesAndTheStepStays(int replicas, int stable, int canary) {
    var since = NOW.minusSeconds(60);
    var seen = canaryV2At(30).revisions(revision(V2).replicas(2).available(2));
    var given = releasingV2().atStep(3).weight(30).pausedSince(since).podsCountedFrom(seen);

    var plan = plan(scaledTo(replicas), given, seen);

    expect(
        plan,
        asksFor(new ScaleRevision(V1, stable, null), new ScaleRevision(V2, canary, null))
            .phase(RolloutPhase.Progressing)
            .step(3)
            .weight(30));
    assertThat(plan.status().pauseConditions)
        .as("the pause goes on from where it started")
        .containsExactly(new PauseCondition(PAUSE_STEP, since.toString()));
    assertThat(plan.status().progressedAt)
        .as("a resize is no progress")
        .isEqualTo(since.toString());
    assertThat(plan.status().message).startsWith("resizing both sides to spec.replicas ");
  }

  @Test
  void onceBothSidesHaveTheirCountThePauseEndsOnItsOwnTime() {
    var since = NOW.minusSeconds(60);
    var given = releasingV2().atStep(3).weight(30).pausedSince(since);
    var seen =
        canaryV2At(30)
            .revisions(revision(V2).replicas(3).available(2))
            .revisions(revision(V1).replicas(8).available(5));

    var plan = plan(scaledTo(8), given, seen);

    expect(plan, asksForNothing().phase(RolloutPhase.Paused).step(3).weight(30));
    assertThat(plan.requeueAfter()).as("2m from its start").contains(Duration.ofSeconds(60));
    assertThat(plan.status().pauseConditions)
        .containsExactly(new PauseCondition(PAUSE_STEP, since.toString()));
  }

  @Test
  void aPauseForPromoteIsNotEndedByANewCount() {
    var given = releasingV2().atStep(1).weight(10).pausedSince(NOW.minusSeconds(600));
    var seen = canaryV2At(10).revisions(revision(V2).replicas(1).available(1));

    var plan = plan(scaledTo(20), given, seen);

    expect(
        plan,
        asksFor(new ScaleRevision(V1, 20, null), new ScaleRevision(V2, 2, null))
            .phase(RolloutPhase.Progressing)
            .step(1)
            .weight(10));
  }

  @Test
  void aSetWeightStepWaitingForItsPodsTakesItsShareOfTheNewCount() {
    // Step 5, setWeight 60, asked for 3 of 5 pods; the autoscaler says 10: 6 canary pods.
    var given = releasingV2().atStep(4).weight(30);
    var seen = canaryV2At(30).revisions(revision(V2).replicas(3).available(2));

    var plan = plan(scaledTo(10), given, seen);

    expect(
        plan,
        asksFor(new ScaleRevision(V1, 10, null), new ScaleRevision(V2, 6, null))
            .phase(RolloutPhase.Progressing)
            .step(4)
            .weight(30));
  }

  @Test
  void atPromotionTheNewStableIsBroughtToTheCountOfTheMomentBeforeTrafficMoves() {
    var given = releasingV2().atStep(6).weight(60);
    var seen = canaryV2At(60).revisions(revision(V2).replicas(5).available(5));

    var plan = plan(scaledTo(8), given, seen);

    expect(
        plan,
        asksFor(new ScaleRevision(V1, 8, null), new ScaleRevision(V2, 8, null))
            .phase(RolloutPhase.Progressing)
            .step(6)
            .weight(60));
  }

  @Test
  void podsAnAutoscalerAddsWhileAWeightIsPendingAreNoProgress() {
    // Step 5 asked for 60 %, the routes still read 30 %; meanwhile two more stable pods came up.
    var status = releasingV2().atStep(4).weight(60).verifiedWeight(30).build();
    status.availableReplicas = 6;
    String progressedAt = status.progressedAt;
    var seen =
        canaryV2At(30)
            .revisions(revision(V2).replicas(3).available(3))
            .revisions(revision(V1).replicas(7).available(7));

    var plan = plan(scaledTo(7), status, seen.build());

    assertThat(plan.actions()).containsExactly(new SetWeight(60));
    assertThat(plan.status().availableReplicas).isEqualTo(10);
    assertThat(plan.status().progressedAt).isEqualTo(progressedAt);
  }

  @Test
  void statusSelectorIsTheSpecsMatchLabels() {
    var spec = scaledTo(5);
    spec.selector.getMatchLabels().put("tier", "web");
    var plan =
        plan(spec, releasingV2().atStep(1).weight(10), canaryV2At(10).revisions(revision(V2)));

    assertThat(plan.status().selector).isEqualTo("app=checkout,tier=web");
  }

  @Test
  void anAutoscalerMovingTheCountAtEveryReconcileNeverAdvancesAStepNorOversizesASide() {
    var random = new Random(16);
    var cluster = SimulatedCluster.stableOn(scaledTo(5), V1).declare(V2).reconcile();
    for (int round = 0; round < 40; round++) {
      int step = cluster.status.currentStepIndex;
      var pauses = Map.copyOf(pausesOf(cluster));
      cluster.spec.replicas = 1 + random.nextInt(12);
      cluster.reconcile();

      assertThat(cluster.status.currentStepIndex)
          .as("round %d: a new count alone advances no step", round)
          .isEqualTo(step);
      assertThat(pausesOf(cluster))
          .as("round %d: pauses keep their start", round)
          .isEqualTo(pauses);
      int replicas = cluster.spec.replicas;
      int weight = cluster.status.currentWeight;
      assertThat(cluster.replicas(V1)).as("round %d: stable", round).isEqualTo(replicas);
      assertThat(cluster.replicas(V2))
          .as("round %d: canary at %d%% of %d", round, weight, replicas)
          .isEqualTo(ReplicaArithmetic.canaryReplicas(replicas, weight));
      if (round == 7 || round == 15) {
        cluster.promote().reconcile();
      }
    }
    assertThat(cluster.violations).isEmpty();
  }

  @Test
  void withoutAMeshTheSidesTradePodsWithinMaxSurgeOfTheNewCount() {
    // 4 replicas, maxSurge 1, maxUnavailable 0; at 50 % 2 canary and 2 stable pods.
    var spec = basicSpec(4, "1", "0", 50);
    var cluster = SimulatedCluster.stableOn(spec, V1).declare(V2).reconcile();
    assertThat(cluster.replicas(V2)).isEqualTo(2);

    int[] most = {0};
    cluster.afterEachPass = c -> most[0] = Math.max(most[0], c.replicas(V1) + c.replicas(V2));
    spec.replicas = 8;
    cluster.reconcile();

    assertThat(cluster.status.currentStepIndex).isEqualTo(1);
    assertThat(cluster.replicas(V1)).isEqualTo(4);
    assertThat(cluster.replicas(V2)).isEqualTo(4);
    assertThat(most[0]).as("never above 8 + maxSurge").isLessThanOrEqualTo(9);
  }

  @Test
  void dynamicStableScaleGivesUpStablePodsOnlyAfterTheWeightReadsBack() {
    var cluster = SimulatedCluster.stableOn(dynamic(scaledTo(5)), V1).declare(V2).reconcile();
    assertThat(cluster.weight).isEqualTo(10);
    assertThat(cluster.replicas(V1)).as("5 * 90 %% rounded up").isEqualTo(5);

    cluster.promote().reconcile();

    assertThat(cluster.weight).isEqualTo(30);
    assertThat(cluster.replicas(V1)).as("5 * 70 %% rounded up").isEqualTo(4);
    assertThat(cluster.indexOf(new ScaleRevision(V1, 4, null)))
        .isGreaterThan(cluster.indexOf(new SetWeight(30)));
    assertThat(cluster.violations).isEmpty();
  }

  @Test
  void dynamicStableScaleTakesStablePodsBackBeforeTheWeightGoesDown() {
    var spec = dynamic(scaledTo(4));
    spec.strategy.canary.steps = steps(weightStep(75), pauseStep(), weightStep(25), pauseStep());
    var cluster = SimulatedCluster.stableOn(spec, V1).declare(V2).reconcile();
    assertThat(cluster.weight).isEqualTo(75);
    assertThat(cluster.replicas(V1)).isEqualTo(1);
    cluster.log.clear();

    cluster.promote().reconcile();

    assertThat(cluster.weight).isEqualTo(25);
    assertThat(cluster.replicas(V1)).isEqualTo(3);
    assertThat(cluster.indexOf(new ScaleRevision(V1, 3, null)))
        .as("stable pods before the traffic")
        .isLessThan(cluster.indexOf(new SetWeight(25)));
    assertThat(cluster.violations).isEmpty();
  }

  @Test
  void dynamicStableScaleKeepsTheOldStablesPodsUntilAfterTheSwitch() {
    var cluster = SimulatedCluster.stableOn(dynamic(scaledTo(5)), V1).declare(V2).reconcile();
    cluster.promote().reconcile().promoteFull().reconcile();
    cluster.log.clear();

    assertThat(cluster.status.stableRS).isEqualTo(V2);
    assertThat(cluster.pins.get(Side.STABLE)).containsExactly(V2);
    assertThat(cluster.replicas(V2)).isEqualTo(5);
    assertThat(cluster.replicas(V1)).as("kept for scaleDownDelaySeconds").isPositive();
    assertThat(cluster.revisions.get(V1).scaleDownAt()).isNotNull();
  }

  @Test
  void anAbortWithDynamicStableScaleAsksForEveryStablePodWithTheTrafficMove() {
    var given = releasingV2().atStep(5).weight(60).abortRequested();
    var seen =
        canaryV2At(60)
            .revisions(revision(V2).replicas(3).available(3))
            .revisions(revision(V1).replicas(2).available(2));

    var plan = plan(dynamic(scaledTo(5)), given, seen);

    assertThat(plan.actions()).containsExactly(new ScaleRevision(V1, 5, null), new SetWeight(0));
  }

  private static Map<String, String> pausesOf(SimulatedCluster cluster) {
    var pauses = new java.util.HashMap<String, String>();
    cluster.status.pauseConditions.forEach(p -> pauses.put(p.reason, p.startTime));
    return pauses;
  }
}
