package dev.weir.rollout.plan;

import static dev.weir.rollout.plan.PlannerFixtures.V1;
import static dev.weir.rollout.plan.PlannerFixtures.V2;
import static dev.weir.rollout.plan.PlannerFixtures.canaryV2At;
import static dev.weir.rollout.plan.PlannerFixtures.classicSpec;
import static dev.weir.rollout.plan.PlannerFixtures.plan;
import static dev.weir.rollout.plan.PlannerFixtures.releasingV2;
import static dev.weir.rollout.plan.PlannerFixtures.revision;
import static dev.weir.rollout.plan.PlannerFixtures.seen;
import static dev.weir.rollout.plan.PlannerFixtures.traffic;
import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.api.v1alpha1.RolloutPhase;
import dev.weir.api.v1alpha1.WorkloadRef;
import dev.weir.api.v1alpha1.WorkloadScaleDown;
import dev.weir.rollout.plan.Action.ScaleWorkload;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A rollout of 5 that took over the Deployment "checkout" of 5 (spec.workloadRef): what the
 * Deployment keeps as the rollout's first revision comes up, by scaleDown policy. The spec is
 * examples/canary-istio.
 */
class WorkloadScaleDownPlanTest {

  private static Workload deployment(WorkloadScaleDown policy, int replicas) {
    return new Workload("checkout", policy, replicas, replicas);
  }

  static Stream<Arguments> firstRevisionComingUp() {
    return Stream.of(
        // policy, the Deployment's replicas, the rollout's available pods, what it keeps
        Arguments.of(WorkloadScaleDown.progressively, 5, 0, null),
        Arguments.of(WorkloadScaleDown.progressively, 5, 1, 4),
        Arguments.of(WorkloadScaleDown.progressively, 5, 3, 2),
        Arguments.of(WorkloadScaleDown.progressively, 5, 5, 0),
        Arguments.of(WorkloadScaleDown.progressively, 2, 3, null),
        Arguments.of(WorkloadScaleDown.progressively, 2, 4, 1),
        Arguments.of(WorkloadScaleDown.progressively, 0, 5, null),
        Arguments.of(WorkloadScaleDown.never, 5, 5, null),
        Arguments.of(WorkloadScaleDown.onsuccess, 5, 3, null));
  }

  @ParameterizedTest(name = "{0}: a Deployment of {1}, {2} of the rollout's pods available")
  @MethodSource("firstRevisionComingUp")
  void theDeploymentGivesUpPodsOnlyAsTheRolloutsBecomeAvailable(
      WorkloadScaleDown policy, int deploymentReplicas, int available, Integer keeps) {
    var seen =
        seen()
            .declared(V1)
            .traffic(traffic().canaryWeight(0))
            .revisions(revision(V1).replicas(5).available(available))
            .workload(deployment(policy, deploymentReplicas));

    var plan = plan(null, seen.build());

    var scaled = plan.actions().stream().filter(ScaleWorkload.class::isInstance).toList();
    assertThat(scaled)
        .isEqualTo(keeps == null ? List.of() : List.of(new ScaleWorkload("checkout", keeps)));
  }

  @Test
  void onsuccessScalesTheDeploymentToZeroOnceTheRolloutIsHealthy() {
    var seen = PlannerFixtures.steadyOnV1().workload(deployment(WorkloadScaleDown.onsuccess, 5));
    var first = plan(null, seen.build());

    var settled = plan(first.status(), seen.build());

    assertThat(settled.status().phase).isEqualTo(RolloutPhase.Healthy);
    assertThat(settled.actions()).contains(new ScaleWorkload("checkout", 0));
  }

  @Test
  void aDeploymentAlreadyAtZeroIsLeftAloneDuringACanary() {
    var seen =
        canaryV2At(20)
            .revisions(revision(V2).replicas(1).available(1))
            .workload(deployment(WorkloadScaleDown.progressively, 0));

    var plan = plan(releasingV2(), seen);

    assertThat(plan.actions()).noneMatch(ScaleWorkload.class::isInstance);
  }

  @Test
  void aReferenceToADeploymentNotSeenIsAnInvalidSpecAndNothingMoves() {
    var spec = classicSpec();
    spec.template = null;
    spec.workloadRef = new WorkloadRef();
    spec.workloadRef.apiVersion = "apps/v1";
    spec.workloadRef.kind = "Deployment";
    spec.workloadRef.name = "checkout";

    var plan = plan(spec, null, PlannerFixtures.steadyOnV1().declared("").build());

    assertThat(plan.actions()).isEmpty();
    assertThat(PlannerFixtures.reasonOf(plan.status(), StatusConditions.INVALID_SPEC))
        .isEqualTo("InvalidSpec");
    assertThat(plan.status().message).contains("spec.workloadRef.name").contains("checkout");
  }
}
