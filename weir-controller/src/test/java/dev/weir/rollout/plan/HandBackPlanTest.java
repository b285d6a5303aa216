package dev.weir.rollout.plan;

import static dev.weir.rollout.plan.PlannerFixtures.V1;
import static dev.weir.rollout.plan.PlannerFixtures.V2;
import static dev.weir.rollout.plan.PlannerFixtures.classicSpec;
import static dev.weir.rollout.plan.PlannerFixtures.revision;
import static dev.weir.rollout.plan.PlannerFixtures.seen;
import static dev.weir.rollout.plan.PlannerFixtures.traffic;
import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.api.v1alpha1.RolloutStatus;
import dev.weir.api.v1alpha1.WorkloadScaleDown;
import dev.weir.rollout.plan.Action.ReleaseRollout;
import dev.weir.rollout.plan.Action.ScaleWorkload;
import dev.weir.rollout.plan.Action.SetWeight;
import dev.weir.rollout.plan.Action.Unpin;
import dev.weir.traffic.Side;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A rollout of 5 (examples/canary-istio) that took over the Deployment "checkout", being deleted:
 * the service goes back to the Deployment one pass at a time, never with fewer than 5 available
 * pods behind the Services, and only then is the rollout let go.
 */
class HandBackPlanTest {

  private static List<Action> handBack(
      Workload deployment, PlannerFixtures.TrafficBuilder traffic) {
    var observation =
        seen()
            .declared(V1)
            .traffic(traffic)
            .revisions(revision(V1).replicas(5).available(5))
            .workload(deployment)
            .build();
    return new ReleasePlanner().handBack(classicSpec(), new RolloutStatus(), observation).actions();
  }

  private static PlannerFixtures.TrafficBuilder pinnedToV1() {
    return traffic().canaryWeight(0).stableSelects(V1).canarySelects(V1);
  }

  @Test
  void aDeploymentScaledDownIsScaledBackUpToTheRolloutsTotalFirst() {
    var actions =
        handBack(new Workload("checkout", WorkloadScaleDown.progressively, 0, 0), pinnedToV1());

    assertThat(actions).containsExactly(new ScaleWorkload("checkout", 5));
  }

  @Test
  void nothingElseMovesUntilThatManyOfItsPodsAreAvailable() {
    for (int available = 0; available < 5; available++) {
      var actions =
          handBack(
              new Workload("checkout", WorkloadScaleDown.progressively, 5, available),
              pinnedToV1());

      assertThat(actions).as("%d available", available).isEmpty();
    }
  }

  @Test
  void thenTheWeightGoesToStableAndTheServicesSelectEveryPodAgain() {
    var actions =
        handBack(
            new Workload("checkout", WorkloadScaleDown.progressively, 5, 5),
            traffic().canaryWeight(30).stableSelects(V1).canarySelects(V2));

    assertThat(actions)
        .containsExactly(new SetWeight(0), new Unpin(Side.STABLE), new Unpin(Side.CANARY));
  }

  @Test
  void onceNothingIsPinnedTheRolloutIsLetGo() {
    var actions =
        handBack(
            new Workload("checkout", WorkloadScaleDown.onsuccess, 5, 5), traffic().canaryWeight(0));

    assertThat(actions).containsExactly(new ReleaseRollout());
  }

  @Test
  void aDeploymentWithMorePodsThanTheRolloutKeepsThem() {
    var actions =
        handBack(new Workload("checkout", WorkloadScaleDown.progressively, 7, 7), pinnedToV1());

    assertThat(actions).containsExactly(new Unpin(Side.STABLE), new Unpin(Side.CANARY));
  }

  @Test
  void withScaleDownNeverTheDeploymentIsLeftAtItsOwnCount() {
    var actions = handBack(new Workload("checkout", WorkloadScaleDown.never, 2, 2), pinnedToV1());

    assertThat(actions).containsExactly(new Unpin(Side.STABLE), new Unpin(Side.CANARY));
  }

  @Test
  void withTheDeploymentGoneTheServicesAreUnpinnedAndTheRolloutLetGo() {
    assertThat(handBack(null, pinnedToV1()))
        .containsExactly(new Unpin(Side.STABLE), new Unpin(Side.CANARY));
    assertThat(handBack(null, traffic().canaryWeight(0))).containsExactly(new ReleaseRollout());
  }
}
