package dev.weir.rollout.plan;

import static dev.weir.rollout.plan.PlannerFixtures.NOW;
import static dev.weir.rollout.plan.PlannerFixtures.PAUSE_STEP;
import static dev.weir.rollout.plan.PlannerFixtures.V1;
import static dev.weir.rollout.plan.PlannerFixtures.V2;
import static dev.weir.rollout.plan.PlannerFixtures.canaryV2At;
import static dev.weir.rollout.plan.PlannerFixtures.classicSpec;
import static dev.weir.rollout.plan.PlannerFixtures.pauseStep;
import static dev.weir.rollout.plan.PlannerFixtures.plan;
import static dev.weir.rollout.plan.PlannerFixtures.releasingV2;
import static dev.weir.rollout.plan.PlannerFixtures.revision;
import static dev.weir.rollout.plan.PlannerFixtures.scaleStep;
import static dev.weir.rollout.plan.PlannerFixtures.scaleStepMatchingTraffic;
import static dev.weir.rollout.plan.PlannerFixtures.scaleStepToWeight;
import static dev.weir.rollout.plan.PlannerFixtures.seen;
import static dev.weir.rollout.plan.PlannerFixtures.status;
import static dev.weir.rollout.plan.PlannerFixtures.steadyOnV1;
import static dev.weir.rollout.plan.PlannerFixtures.steps;
import static dev.weir.rollout.plan.PlannerFixtures.weightStep;
import static dev.weir.rollout.plan.PlannerRow.asksFor;
import static dev.weir.rollout.plan.PlannerRow.asksForNothing;
import static dev.weir.rollout.plan.PlannerRow.expect;
import static dev.weir.rollout.plan.PlannerRow.row;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Named.named;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import dev.weir.api.v1alpha1.CanaryStep;
import dev.weir.api.v1alpha1.PauseCondition;
import dev.weir.api.v1alpha1.RolloutPhase;
import dev.weir.rollout.plan.Action.CreateRevision;
import dev.weir.rollout.plan.Action.Pin;
import dev.weir.rollout.plan.Action.ScaleRevision;
import dev.weir.rollout.plan.Action.SetWeight;
import dev.weir.traffic.Side;
import java.time.Duration;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Stepping through the weights: a new revision starts at step 0; each setWeight first scales the
 * canary to its share of the replicas, writes the weight once those pods are available, and ends
 * once the weight is read back; setCanaryScale decides the pods instead of the weight; a lower
 * weight moves the traffic before the canary shrinks. The spec is examples/canary-istio (5
 * replicas; steps 10 %, pause, 30 %, pause 2m, 60 %, pause 2m) unless a test says otherwise; v1 is
 * stable, v2 the canary.
 */
class StepPlanTest {

  static Stream<PlannerRow> newRevision() {
    return Stream.of(
        row("the template changes: the canary side is pinned first, at weight 0")
            .given(status().steadyOn(V1).atStep(6).weight(0))
            .seeing(steadyOnV1().declared(V2))
            .then(
                asksFor(new Pin(Side.CANARY, V2))
                    .phase(RolloutPhase.Progressing)
                    .step(0)
                    .weight(0)
                    .events("NewRevision")),
        row("canary side pinned: its ReplicaSet is created with 1 pod for 10 %")
            .given(releasingV2().atStep(0).weight(0))
            .seeing(canaryV2At(0))
            .then(
                asksFor(new CreateRevision(V2, 1, 2))
                    .phase(RolloutPhase.Progressing)
                    .step(0)
                    .weight(0)),
        row("canary pod starting: wait, the weight is not touched")
            .given(releasingV2().atStep(0).weight(0))
            .seeing(canaryV2At(0).revisions(revision(V2).replicas(1).available(0)))
            .then(asksForNothing().phase(RolloutPhase.Progressing).step(0).weight(0)),
        row("canary pod available: the weight is written")
            .given(releasingV2().atStep(0).weight(0))
            .seeing(canaryV2At(0).revisions(revision(V2).replicas(1).available(1)))
            .then(asksFor(new SetWeight(10)).phase(RolloutPhase.Progressing).step(0).weight(10)),
        row("10 % read back: step 0 done, paused at step 1")
            .given(releasingV2().atStep(0).weight(10).verifiedWeight(0))
            .seeing(canaryV2At(10).revisions(revision(V2).replicas(1).available(1)))
            .then(
                asksForNothing()
                    .phase(RolloutPhase.Paused)
                    .step(1)
                    .weight(10)
                    .events("WeightSet", "AwaitingPromotion")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("newRevision")
  void aNewRevisionStartsAtStepZero(PlannerRow row) {
    var plan = row.planAndCheck();
    assertThat(plan.status().stableRS).isEqualTo(V1);
    assertThat(plan.status().currentPodHash).isEqualTo(V2);
  }

  // ---------------------------------------------------------------------------------------------
  // setWeight: pods first, then the weight, then the next step

  @ParameterizedTest(
      name = "setWeight {0} at step {1}: canary scaled to {2} of 5 pods, weight kept at {3} %")
  @CsvSource({"10, 0, 1, 0", "30, 2, 2, 10", "60, 4, 3, 30"})
  void setWeightScalesTheCanaryFirst(int weight, int step, int pods, int previous) {
    int previousPods = ReplicaArithmetic.canaryReplicas(5, previous);
    var seen = canaryV2At(previous);
    if (previousPods > 0) {
      seen.revisions(revision(V2).replicas(previousPods).available(previousPods));
    }

    var plan = plan(releasingV2().atStep(step).weight(previous), seen);

    Action scale =
        previousPods == 0 ? new CreateRevision(V2, pods, 2) : new ScaleRevision(V2, pods, null);
    expect(plan, asksFor(scale).phase(RolloutPhase.Progressing).step(step).weight(previous));
    assertThat(plan.status().message)
        .isEqualTo("waiting for canary pods: " + previousPods + "/" + pods + " available");
    assertThat(plan.requeueAfter()).as("the progress deadline").isPresent();
  }

  @ParameterizedTest(
      name = "setWeight {0} at step {1}: {2} canary pods available, the weight is written")
  @CsvSource({"10, 0, 1, 0", "30, 2, 2, 10", "60, 4, 3, 30"})
  void setWeightWritesTheWeightOnceThePodsAreAvailable(
      int weight, int step, int pods, int previous) {
    var seen = canaryV2At(previous).revisions(revision(V2).replicas(pods).available(pods));

    var plan = plan(releasingV2().atStep(step).weight(previous), seen);

    expect(
        plan,
        asksFor(new SetWeight(weight)).phase(RolloutPhase.Progressing).step(step).weight(weight));
    assertThat(plan.status().verifiedWeight).as("what the router reads").isEqualTo(previous);
  }

  static Stream<Arguments> weightReadBack() {
    return Stream.of(
        readBack(10).atStep(0).canaryPods(1).pausedAtStep(1).untilPromoted(),
        readBack(30).atStep(2).canaryPods(2).pausedAtStep(3).forTheDuration(Duration.ofMinutes(2)),
        readBack(60).atStep(4).canaryPods(3).pausedAtStep(5).forTheDuration(Duration.ofMinutes(2)));
  }

  private static ReadBack readBack(int weight) {
    return new ReadBack(weight);
  }

  /**
   * A row of {@link #weightReadBack}: the weight of a setWeight read back, its step and canary
   * pods, then the pause step that follows and how long it lasts.
   */
  private static final class ReadBack {
    private final int weight;
    private int step;
    private int pods;
    private int next;

    private ReadBack(int weight) {
      this.weight = weight;
    }

    ReadBack atStep(int step) {
      this.step = step;
      return this;
    }

    ReadBack canaryPods(int pods) {
      this.pods = pods;
      return this;
    }

    ReadBack pausedAtStep(int next) {
      this.next = next;
      return this;
    }

    /** A pause without duration: no requeue. */
    Arguments untilPromoted() {
      return then(Optional.empty(), "until promoted");
    }

    /** A pause with a duration: requeued for its end. */
    Arguments forTheDuration(Duration pause) {
      return then(Optional.of(pause), "for " + pause.toSeconds() + "s");
    }

    private Arguments then(Optional<Duration> requeue, String how) {
      String name =
          "%d %% read back at step %d (%d canary %s): paused at step %d %s"
              .formatted(weight, step, pods, pods == 1 ? "pod" : "pods", next, how);
      return arguments(named(name, weight), step, pods, next, requeue);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("weightReadBack")
  void aVerifiedWeightAdvancesTheStep(
      int weight, int step, int pods, int next, Optional<Duration> requeue) {
    var seen = canaryV2At(weight).revisions(revision(V2).replicas(pods).available(pods));

    var plan = plan(releasingV2().atStep(step).weight(weight).verifiedWeight(0), seen);

    expect(
        plan,
        asksForNothing()
            .phase(RolloutPhase.Paused)
            .step(next)
            .weight(weight)
            // A pause without a duration waits for a human, and says so once.
            .events(
                requeue.isPresent()
                    ? new String[] {"WeightSet"}
                    : new String[] {"WeightSet", "AwaitingPromotion"}));
    assertThat(plan.events().get(0).message()).contains(weight + "%");
    assertThat(plan.status().verifiedWeight).isEqualTo(weight);
    assertThat(plan.status().pauseConditions)
        .containsExactly(new PauseCondition(PAUSE_STEP, NOW.toString()));
    assertThat(plan.requeueAfter()).isEqualTo(requeue);
  }

  // ---------------------------------------------------------------------------------------------
  // setCanaryScale

  @Test
  void setCanaryScaleDecidesThePodsWhateverTheWeight() {
    var spec = classicSpec();
    spec.strategy.canary.steps = steps(scaleStep(4), weightStep(10), pauseStep());

    var plan = plan(spec, releasingV2().atStep(0).weight(0), canaryV2At(0));
    var next =
        plan(
            spec,
            releasingV2().atStep(1).weight(0),
            canaryV2At(0).revisions(revision(V2).replicas(4).available(4)));

    assertThat(plan.actions()).containsExactly(new CreateRevision(V2, 4, 2));
    assertThat(next.actions()).as("10 % on 4 pods: no resize").containsExactly(new SetWeight(10));
  }

  static Stream<Arguments> laterScale() {
    return Stream.of(
        arguments(named("weight 40", scaleStepToWeight(40)), 2),
        arguments(named("weight 100", scaleStepToWeight(100)), 5),
        arguments(named("replicas 3", scaleStep(3)), 3),
        arguments(named("matchTrafficWeight", scaleStepMatchingTraffic()), 1));
  }

  @ParameterizedTest(
      name = "setCanaryScale {0}, later than one of 4 replicas: {1} canary pods at 10 %")
  @MethodSource("laterScale")
  void setCanaryScaleTakesAWeightOrReplicasOrFollowsTheTrafficAgain(CanaryStep scale, int pods) {
    var spec = classicSpec();
    // An earlier scale of 4 pods, then this one: the latest setCanaryScale decides.
    spec.strategy.canary.steps =
        steps(scaleStep(4), weightStep(5), scale, weightStep(10), pauseStep());

    var plan =
        plan(
            spec,
            releasingV2().atStep(3).weight(0),
            canaryV2At(0).revisions(revision(V2).replicas(0)));

    assertThat(plan.actions()).first().isEqualTo(new ScaleRevision(V2, pods, null));
  }

  // ---------------------------------------------------------------------------------------------
  // A lower weight

  @Test
  void aLowerWeightMovesTrafficBeforeTheCanaryShrinks() {
    var spec = classicSpec();
    spec.strategy.canary.steps = steps(weightStep(60), pauseStep(), weightStep(20), pauseStep());
    var cluster = SimulatedCluster.stableOn(spec, V1).declare(V2).reconcile();
    assertThat(cluster.weight).isEqualTo(60);

    cluster.promote().reconcile();

    assertThat(cluster.weight).isEqualTo(20);
    assertThat(cluster.replicas(V2)).isEqualTo(1);
    assertThat(cluster.violations).isEmpty();
  }
}
