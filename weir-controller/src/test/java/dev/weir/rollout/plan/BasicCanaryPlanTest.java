package dev.weir.rollout.plan;

import static dev.weir.rollout.plan.PlannerFixtures.V1;
import static dev.weir.rollout.plan.PlannerFixtures.V2;
import static dev.weir.rollout.plan.PlannerFixtures.basicSpec;
import static dev.weir.rollout.plan.PlannerFixtures.intOrPercent;
import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.api.v1alpha1.RolloutPhase;
import dev.weir.rollout.plan.Action.Pin;
import dev.weir.rollout.plan.Action.SetWeight;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A release without a mesh (a basic canary): no router, no Services, the replica counts carry the
 * traffic. Each weight trades stable pods for canary pods within maxSurge and maxUnavailable, on
 * the simulated cluster, and no weight is ever written or side pinned.
 */
class BasicCanaryPlanTest {

  @ParameterizedTest(name = "{0} replicas, maxSurge {1}, maxUnavailable {2}, weights {3}")
  @CsvSource({
    "4,  1,   0,   50",
    "5,  25%, 25%, 20 60",
    "10, 0,   2,   30 70",
    "10, 3,   1,   10 50 90",
    "3,  1,   1,   34",
    "1,  1,   0,   50",
    "6,  50%, 0%,  50",
  })
  void aBasicCanaryTradesPodsWithinSurgeAndUnavailable(
      int replicas, String surge, String unavailable, String weights) {
    int[] ws = Stream.of(weights.split(" ")).mapToInt(Integer::parseInt).toArray();
    var spec = basicSpec(replicas, surge, unavailable, ws);
    int maxSurge = ReplicaArithmetic.resolve(intOrPercent(surge), replicas, 25, true);
    int maxUnavailable = ReplicaArithmetic.resolve(intOrPercent(unavailable), replicas, 25, false);
    var cluster = SimulatedCluster.stableOn(spec, V1);
    cluster.afterEachPass =
        c -> {
          int pods = c.revisions.values().stream().mapToInt(Revision::replicas).sum();
          int available = c.revisions.values().stream().mapToInt(Revision::availableReplicas).sum();
          if (pods > replicas + maxSurge) {
            c.violations.add(pods + " pods > replicas + maxSurge at " + c.revisions.values());
          }
          if (available < replicas - maxUnavailable) {
            c.violations.add(
                available + " available < replicas - maxUnavailable at " + c.revisions.values());
          }
        };

    cluster.declare(V2).reconcile();
    for (int i = 0; i < ws.length; i++) {
      int canary = ReplicaArithmetic.canaryReplicas(replicas, ws[i]);
      assertThat(cluster.status.currentStepIndex).isEqualTo(2 * i + 1);
      assertThat(cluster.status.phase).isEqualTo(RolloutPhase.Paused);
      assertThat(cluster.status.currentWeight).isEqualTo(ws[i]);
      assertThat(cluster.replicas(V2)).as("canary at %s%%", ws[i]).isEqualTo(canary);
      assertThat(cluster.replicas(V1)).as("stable at %s%%", ws[i]).isEqualTo(replicas - canary);
      assertThat(cluster.status.verifiedWeight)
          .as("the pods' share")
          .isEqualTo(Math.round(100f * canary / replicas));
      cluster.promote().reconcile();
    }

    assertThat(cluster.status.phase).isEqualTo(RolloutPhase.Healthy);
    assertThat(cluster.status.stableRS).isEqualTo(V2);
    assertThat(cluster.replicas(V2)).isEqualTo(replicas);
    assertThat(cluster.replicas(V1)).isZero();
    assertThat(cluster.violations).isEmpty();
    assertThat(cluster.actions()).noneMatch(a -> a instanceof SetWeight || a instanceof Pin);
  }

  @Test
  void aBasicCanaryWithSurgeAndUnavailableRoundedToZeroStillMoves() {
    var cluster = SimulatedCluster.stableOn(basicSpec(3, "0%", "25%", 34), V1);

    cluster.declare(V2).reconcile();

    assertThat(cluster.status.currentStepIndex).isEqualTo(1);
    assertThat(cluster.replicas(V2)).isEqualTo(2);
  }
}
