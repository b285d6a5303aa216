package dev.weir.rollout.plan;

import static dev.weir.rollout.plan.PlannerFixtures.NOW;
import static dev.weir.rollout.plan.PlannerFixtures.V1;
import static dev.weir.rollout.plan.PlannerFixtures.V2;
import static dev.weir.rollout.plan.PlannerFixtures.canaryV2At;
import static dev.weir.rollout.plan.PlannerFixtures.plan;
import static dev.weir.rollout.plan.PlannerFixtures.releasingV2;
import static dev.weir.rollout.plan.PlannerFixtures.revision;
import static dev.weir.rollout.plan.PlannerFixtures.seen;
import static dev.weir.rollout.plan.PlannerRow.asksFor;
import static dev.weir.rollout.plan.PlannerRow.expect;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Named.named;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import dev.weir.api.v1alpha1.RolloutPhase;
import dev.weir.rollout.plan.Action.SetWeight;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * GitOps coexistence: when a sync (Argo CD, Flux) resets the weight Weir manages mid-release, Weir
 * puts it back, warns once per change, and never advances a step or promotes because of it; a
 * weight it asked for and has not read back yet is simply asked for again. The spec is
 * examples/canary-istio (5 replicas; steps 10 %, pause, 30 %, pause 2m, 60 %, pause 2m); v1 is
 * stable, v2 the canary.
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
}
