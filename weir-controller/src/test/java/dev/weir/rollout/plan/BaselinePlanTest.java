package dev.weir.rollout.plan;

import static dev.weir.rollout.plan.PlannerFixtures.V1;
import static dev.weir.rollout.plan.PlannerFixtures.V2;
import static dev.weir.rollout.plan.PlannerFixtures.V3;
import static dev.weir.rollout.plan.PlannerFixtures.classicSpec;
import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.api.v1alpha1.RolloutPhase;
import dev.weir.api.v1alpha1.RolloutSpec;
import dev.weir.rollout.plan.Action.DeleteBaseline;
import dev.weir.rollout.plan.Action.ScaleBaseline;
import dev.weir.rollout.plan.Action.SetWeight;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A canary strategy with baselineService: from the first setWeight a ReplicaSet of the stable
 * template runs beside the canary with as many pods, and takes the same weight once its pods are
 * available; at promotion, abort and a new revision its weight goes to 0 first and then it is
 * deleted. The spec is examples/canary-istio (5 replicas) with baselineService checkout-baseline
 * and steps 10 %, pause, 30 %, pause 2m, 50 %, pause 2m.
 */
class BaselinePlanTest {

  private static RolloutSpec withBaseline() {
    var spec = classicSpec();
    spec.strategy.canary.baselineService = "checkout-baseline";
    spec.strategy.canary.steps.get(4).setWeight = 50;
    return spec;
  }

  private static SimulatedCluster v2At10Percent() {
    var cluster = SimulatedCluster.stableOn(withBaseline(), V1).declare(V2).reconcile();
    assertThat(cluster.weight).isEqualTo(10);
    return cluster;
  }

  @Test
  void theFirstSetWeightBringsUpABaselineOfStableWithTheCanarysPodsAndTheSameWeight() {
    var cluster = v2At10Percent();

    assertThat(cluster.baseline.hash()).as("the baseline's template").isEqualTo(V1);
    assertThat(cluster.baseline.replicas()).isEqualTo(cluster.replicas(V2)).isEqualTo(1);
    assertThat(cluster.baselineWeight).isEqualTo(10);
    assertThat(cluster.replicas(V1)).as("stable keeps its pods").isEqualTo(5);
    assertThat(cluster.indexOf(new ScaleBaseline(V1, V2, 1)))
        .as("pods before weight")
        .isLessThan(cluster.indexOf(new SetWeight(10, 10)));
    assertThat(cluster.violations).isEmpty();
    assertThat(cluster.status.phase).isEqualTo(RolloutPhase.Paused);
  }

  @Test
  void theBaselineFollowsTheCanaryUpTheSteps() {
    var cluster = v2At10Percent().promote().reconcile();

    assertThat(cluster.weight).isEqualTo(30);
    assertThat(cluster.baselineWeight).isEqualTo(30);
    assertThat(cluster.baseline.replicas()).isEqualTo(cluster.replicas(V2)).isEqualTo(2);
    assertThat(cluster.violations).isEmpty();
  }

  @Test
  void promotionTakesTheBaselinesWeightAwayBeforeItIsDeleted() {
    var cluster = v2At10Percent().promote().reconcile();
    cluster.advance(Duration.ofMinutes(2));
    cluster.reconcile();
    assertThat(cluster.baselineWeight).isEqualTo(50);
    cluster.advance(Duration.ofMinutes(2));
    cluster.reconcile();

    assertThat(cluster.status.stableRS).isEqualTo(V2);
    assertThat(cluster.baselineWeight).isZero();
    assertThat(cluster.baseline).isNull();
    assertThat(cluster.actions())
        .as("the baseline's share goes to stable, then it goes, then the canary takes all")
        .containsSubsequence(
            new SetWeight(50, 50),
            new SetWeight(50, 0),
            new DeleteBaseline(),
            new SetWeight(100, 0));
    assertThat(cluster.violations).isEmpty();
  }

  @Test
  void anAbortSendsTheBaselinesTrafficToStableThenDeletesIt() {
    var cluster = v2At10Percent().abort().reconcile();

    assertThat(cluster.weight).isZero();
    assertThat(cluster.baselineWeight).isZero();
    assertThat(cluster.baseline).isNull();
    assertThat(cluster.indexOf(new SetWeight(0, 0)))
        .isLessThan(cluster.indexOf(new DeleteBaseline()));
    assertThat(cluster.violations).isEmpty();
    assertThat(cluster.status.phase).isEqualTo(RolloutPhase.Degraded);
  }

  @Test
  void aNewRevisionGetsAFreshBaselineAfterTheOldOnesTrafficIsOff() {
    var cluster = v2At10Percent();
    cluster.log.clear();

    cluster.declare(V3).reconcile();

    List<Action> actions = cluster.actions();
    assertThat(actions)
        .containsSubsequence(
            new SetWeight(0, 0),
            new DeleteBaseline(),
            new ScaleBaseline(V1, V3, 1),
            new SetWeight(10, 10));
    assertThat(cluster.baseline.templateAnnotations()).containsValue(V3);
    assertThat(cluster.weight).isEqualTo(10);
    assertThat(cluster.baselineWeight).isEqualTo(10);
    assertThat(cluster.violations).isEmpty();
  }

  @Test
  void withoutBaselineServiceNoBaselineRuns() {
    var cluster = SimulatedCluster.stableOn(classicSpec(), V1).declare(V2).reconcile();

    assertThat(cluster.baseline).isNull();
    assertThat(cluster.actions()).noneMatch(a -> a instanceof ScaleBaseline);
    assertThat(cluster.actions()).contains(new SetWeight(10, 0));
  }

  @Test
  void aSetWeightAbove50WithABaselineIsAnInvalidSpecThatTouchesNothing() {
    var spec = withBaseline();
    spec.strategy.canary.steps.get(4).setWeight = 60;
    var cluster = SimulatedCluster.stableOn(spec, V1);
    cluster.log.clear();

    cluster.declare(V2).reconcile();

    assertThat(cluster.actions()).isEmpty();
    assertThat(cluster.status.conditions)
        .anySatisfy(
            c ->
                assertThat(c.getMessage())
                    .contains(
                        "spec.strategy.canary.steps[4].setWeight: 60 is more than 50: with"
                            + " baselineService the baseline takes as much again"));
  }
}
