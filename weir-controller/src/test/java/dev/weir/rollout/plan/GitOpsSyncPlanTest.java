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
import static dev.weir.rollout.plan.PlannerFixtures.steadyOnV1;
import static dev.weir.rollout.plan.PlannerFixtures.traffic;
import static dev.weir.rollout.plan.PlannerRow.asksFor;
import static dev.weir.rollout.plan.PlannerRow.expect;
import static dev.weir.rollout.plan.PlannerRow.row;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Named.named;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import dev.weir.api.v1alpha1.RolloutPhase;
import dev.weir.rollout.plan.Action.Pin;
import dev.weir.rollout.plan.Action.SetWeight;
import dev.weir.traffic.Side;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * GitOps coexistence: when a sync (Argo CD, Flux) resets the weight Weir manages mid-release, Weir
 * puts it back, warns once per change, and never advances a step or promotes because of it, up to
 * the cut-over; a weight it asked for and has not read back yet is simply asked for again. A sync
 * that resets a Service's selector is put back too, with a warning, and without touching the
 * weight. The spec is examples/canary-istio (5 replicas; steps 10 %, pause, 30 %, pause 2m, 60 %,
 * pause 2m); v1 is stable, v2 the canary.
 */
class GitOpsSyncPlanTest {

  static Stream<Arguments> outsideChange() {
    return Stream.of(
        aSyncSets(0).whileWeirHolds(10).atStep(2),
        aSyncSets(30).whileWeirHolds(10).atStep(2),
        aSyncSets(100).whileWeirHolds(10).atStep(2),
        aSyncSets(0).whileWeirHolds(10).pausedAtStep(1),
        aSyncSets(50).whileWeirHolds(10).pausedAtStep(1),
        aSyncSets(0).whileWeirHolds(60).pausedAtStep(5));
  }

  private static OutsideWeight aSyncSets(int weight) {
    return new OutsideWeight(weight, 0);
  }

  /** A row of {@link #outsideChange}: the weight a sync wrote, over Weir's, at a step. */
  private record OutsideWeight(int outside, int weight) {

    /** The weight Weir asked for and read back before the sync. */
    OutsideWeight whileWeirHolds(int weight) {
      return new OutsideWeight(outside, weight);
    }

    Arguments atStep(int step) {
      return then("at step " + step, step);
    }

    /** Steps 1 and 5 of the classic spec are pauses. */
    Arguments pausedAtStep(int step) {
      return then("paused at step " + step, step);
    }

    private Arguments then(String where, int step) {
      String name =
          "%s (%d %%), a sync sets %d %%: %d %% restored, the step holds"
              .formatted(where, weight, outside, weight);
      return arguments(named(name, outside), step, weight);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("outsideChange")
  void anOutsideWeightChangeIsRestoredAndNeverAdvancesAStep(int outside, int step, int weight) {
    var given = releasingV2().atStep(step).weight(weight);
    if (step == 1 || step == 5) {
      given.pausedSince(NOW.minusSeconds(step == 5 ? 600 : 60));
    }
    int pods = ReplicaArithmetic.canaryReplicas(5, weight);
    var seen = canaryV2At(outside).revisions(revision(V2).replicas(pods).available(pods));

    var plan = plan(given, seen);

    expect(
        plan,
        asksFor(new SetWeight(weight))
            .phase(RolloutPhase.Progressing)
            .step(step)
            .weight(weight)
            .events("WeightRestored"));
    assertThat(plan.events().get(0).reason().warning()).isTrue();
    assertThat(plan.events().get(0).message())
        .contains("changed to " + outside + "%")
        .contains("restoring " + weight + "%");
    assertThat(plan.status().verifiedWeight).isEqualTo(outside);
    assertThat(plan.status().stableRS).as("never promoted because of it").isEqualTo(V1);
  }

  @Test
  void aWeightNotYetReadBackIsAskedForAgainWithoutAWarning() {
    var given = releasingV2().atStep(2).weight(30).verifiedWeight(10);
    var seen = canaryV2At(10).revisions(revision(V2).replicas(2).available(2));

    var plan = plan(given, seen);

    expect(plan, asksFor(new SetWeight(30)).phase(RolloutPhase.Progressing).step(2).weight(30));
  }

  // ---------------------------------------------------------------------------------------------
  // After the last step, before the cut-over

  static Stream<PlannerRow> outsideWeightBeforeTheCutOver() {
    return Stream.of(
        promotingSeeing("the canary at 3 of 5 pods, a sync writes 100 %", 100, 3),
        promotingSeeing("the canary at full size, a sync writes 100 %", 100, 5),
        promotingSeeing("a sync writes 30 %", 30, 3));
  }

  /** Promoting after the last step (60 %), the canary at this size, the routes at this weight. */
  private static PlannerRow promotingSeeing(String what, int outside, int pods) {
    return row("promoting, " + what + ": 60 % is put back first")
        .given(releasingV2().atStep(6).weight(60))
        .seeing(canaryV2At(outside).revisions(revision(V2).replicas(pods).available(pods)))
        .then(
            asksFor(new SetWeight(60))
                .phase(RolloutPhase.Progressing)
                .step(6)
                .weight(60)
                .events("WeightRestored"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("outsideWeightBeforeTheCutOver")
  void anOutsideWeightBeforeTheCutOverIsPutBackAndNeverPromotes(PlannerRow row) {
    var plan = row.planAndCheck();

    assertThat(plan.status().stableRS)
        .as("never promoted on a weight Weir did not write")
        .isEqualTo(V1);
    assertThat(plan.events().get(0).reason().warning()).isTrue();
  }

  @Test
  void aSyncThatWrites100BeforeTheCutOverIsUndoneAndWeirWritesItsOwn100() {
    var cluster = SimulatedCluster.stableOn(classicSpec(), V1).declare(V2).reconcile();
    cluster.promote().reconcile();
    cluster.advance(java.time.Duration.ofMinutes(2));
    cluster.reconcile();
    assertThat(cluster.status.currentStepIndex).isEqualTo(5);
    cluster.holdPods().advance(java.time.Duration.ofMinutes(2));
    cluster.reconcile();
    assertThat(cluster.status.currentStepIndex).as("promoting, the canary scaling up").isEqualTo(6);

    cluster.weight = 100;
    cluster.reconcile();
    assertThat(cluster.weight).isEqualTo(60);
    assertThat(cluster.status.stableRS).isEqualTo(V1);
    // The canary's pods start; the next reconcile sees them.
    cluster.podsStart = true;
    cluster.reconcile().reconcile();

    assertThat(cluster.status.stableRS).isEqualTo(V2);
    var log = cluster.actions();
    int restored = log.lastIndexOf(new SetWeight(60));
    int own = log.indexOf(new SetWeight(100));
    int pinned = log.indexOf(new Pin(Side.STABLE, V2));
    assertThat(List.of(restored, own, pinned)).doesNotContain(-1).isSorted();
    assertThat(cluster.events).extracting(e -> e.reason().name()).contains("WeightRestored");
    assertThat(cluster.violations).isEmpty();
  }

  // ---------------------------------------------------------------------------------------------
  // Selectors

  static Stream<PlannerRow> selectorReset() {
    var canaryAt10 = revision(V2).replicas(1).available(1);
    return Stream.of(
        row("a sync points the stable Service at v2 mid-release: pointed back, with a warning")
            .given(releasingV2().atStep(2).weight(10))
            .seeing(
                canaryV2At(10)
                    .traffic(traffic().canaryWeight(10).stableSelects(V2).canarySelects(V2))
                    .revisions(canaryAt10))
            .then(
                asksFor(new Pin(Side.STABLE, V1))
                    .phase(RolloutPhase.Progressing)
                    .step(2)
                    .weight(10)
                    .events("SelectorRestored")),
        row("a sync points the canary Service at v1 at 10 %: pointed back, the weight stays 10 %")
            .given(releasingV2().atStep(2).weight(10))
            .seeing(
                canaryV2At(10)
                    .traffic(traffic().canaryWeight(10).stableSelects(V1).canarySelects(V1))
                    .revisions(canaryAt10))
            .then(
                asksFor(new Pin(Side.CANARY, V2))
                    .phase(RolloutPhase.Progressing)
                    .step(2)
                    .weight(10)
                    .events("SelectorRestored")),
        row("a sync takes the hash out of the canary Service's selector at 10 %: pointed back")
            .given(releasingV2().atStep(1).weight(10).pausedSince(NOW.minusSeconds(60)))
            .seeing(
                canaryV2At(10)
                    .traffic(traffic().canaryWeight(10).stableSelects(V1).canarySelects(""))
                    .revisions(canaryAt10))
            .then(
                asksFor(new Pin(Side.CANARY, V2))
                    .phase(RolloutPhase.Progressing)
                    .step(1)
                    .weight(10)
                    .events("SelectorRestored")),
        row("a sync takes the hash out of a healthy rollout's stable Service: pointed back")
            .given(status().steadyOn(V1).atStep(6).weight(0).phase(RolloutPhase.Healthy))
            .seeing(
                steadyOnV1().traffic(traffic().canaryWeight(0).stableSelects("").canarySelects(V1)))
            .then(
                asksFor(new Pin(Side.STABLE, V1))
                    .phase(RolloutPhase.Progressing)
                    .step(6)
                    .weight(0)
                    .events("SelectorRestored")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("selectorReset")
  void aSelectorResetIsPutBackWithAWarningAndStatusStaysTrue(PlannerRow row) {
    var plan = row.planAndCheck();

    var event = plan.events().get(0);
    assertThat(event.reason().warning()).isTrue();
    assertThat(event.message()).contains("changed outside Weir", "pointing it back at");
    assertThat(plan.actions())
        .as("the weight is not touched")
        .noneMatch(SetWeight.class::isInstance);
    assertThat(plan.status().currentWeight)
        .as("status says the weight the routes carry")
        .isEqualTo(row.seen().traffic().canaryWeight());
  }
}
