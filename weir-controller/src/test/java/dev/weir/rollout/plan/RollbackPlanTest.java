package dev.weir.rollout.plan;

import static dev.weir.rollout.plan.PlannerFixtures.NOW;
import static dev.weir.rollout.plan.PlannerFixtures.V1;
import static dev.weir.rollout.plan.PlannerFixtures.V2;
import static dev.weir.rollout.plan.PlannerFixtures.canaryV2At;
import static dev.weir.rollout.plan.PlannerFixtures.releasingV2;
import static dev.weir.rollout.plan.PlannerFixtures.revision;
import static dev.weir.rollout.plan.PlannerFixtures.status;
import static dev.weir.rollout.plan.PlannerFixtures.statusOf;
import static dev.weir.rollout.plan.PlannerFixtures.steadyOnV1;
import static dev.weir.rollout.plan.PlannerRow.asksFor;
import static dev.weir.rollout.plan.PlannerRow.asksForNothing;
import static dev.weir.rollout.plan.PlannerRow.row;
import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.api.v1alpha1.RolloutPhase;
import dev.weir.rollout.plan.Action.Pin;
import dev.weir.rollout.plan.Action.ScaleRevision;
import dev.weir.rollout.plan.Action.SetWeight;
import dev.weir.traffic.Side;
import java.time.Instant;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Going back to the stable revision (a {@code git revert}) during a release is an instant rollback:
 * the weight goes to 0 at once, with no step, no pause and no abort left, and the canary goes after
 * abortScaleDownDelaySeconds; the stable revision is never touched. The spec is
 * examples/canary-istio (5 replicas; steps 10 %, pause, 30 %, pause 2m, 60 %, pause 2m); v1 is
 * stable, v2 the canary.
 */
class RollbackPlanTest {

  static Stream<PlannerRow> rollback() {
    Instant at = NOW.plusSeconds(30);
    var weightToZeroAtOnce =
        asksFor(new SetWeight(0))
            .phase(RolloutPhase.Progressing)
            .step(6)
            .weight(0)
            .events("RolledBack");
    return Stream.of(
        row("git revert to v1 at step 2 (10 %): weight to 0 at once, no steps")
            .given(releasingV2().atStep(2).weight(10))
            .seeing(canaryV2At(10).declared(V1).revisions(revision(V2).replicas(1).available(1)))
            .then(weightToZeroAtOnce),
        row("git revert while paused at step 1: the pause is gone too")
            .given(releasingV2().atStep(1).weight(10).pausedSince(NOW.minusSeconds(60)))
            .seeing(canaryV2At(10).declared(V1).revisions(revision(V2).replicas(1).available(1)))
            .then(weightToZeroAtOnce),
        row("git revert after an abort: the abort is over, Healthy")
            .given(releasingV2().atStep(2).weight(0).abortedAt(NOW.minusSeconds(60)))
            .seeing(steadyOnV1().revisions(revision(V2).replicas(1).available(1).scaleDownAt(at)))
            .then(
                asksForNothing()
                    .phase(RolloutPhase.Healthy)
                    .step(6)
                    .weight(0)
                    .events("RolledBack")),
        row("weight 0 read back: the canary side is pointed at v1")
            .given(status().steadyOn(V1).atStep(6).weight(0))
            .seeing(canaryV2At(0).declared(V1).revisions(revision(V2).replicas(1).available(1)))
            .then(
                asksFor(new Pin(Side.CANARY, V1))
                    .phase(RolloutPhase.Progressing)
                    .step(6)
                    .weight(0)),
        row("nothing selects v2: it goes after abortScaleDownDelaySeconds")
            .given(status().steadyOn(V1).atStep(6).weight(0))
            .seeing(steadyOnV1().revisions(revision(V2).replicas(1).available(1)))
            .then(
                asksFor(new ScaleRevision(V2, 1, at))
                    .phase(RolloutPhase.Healthy)
                    .step(6)
                    .weight(0)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rollback")
  void goingBackToTheStableRevisionIsAnInstantRollback(PlannerRow row) {
    var plan = row.planAndCheck();
    var status = plan.status();
    assertThat(status.currentPodHash).isEqualTo(V1);
    assertThat(status.stableRS).isEqualTo(V1);
    assertThat(status.pauseConditions).isEmpty();
    assertThat(status.abort).isNull();
    assertThat(statusOf(status, StatusConditions.ABORTED)).isEqualTo("False");
    assertThat(plan.actions())
        .as("the stable revision is untouched")
        .noneMatch(a -> a instanceof ScaleRevision s && s.hash().equals(V1));
  }

  @Test
  void givenV2At30PercentWhenGitRevertsToV1ThenTrafficGoesBackAtOnceWithoutSteps() {
    var cluster = SimulatedCluster.v2At30Percent();

    cluster.declare(V1).reconcile();

    assertThat(cluster.status.phase).isEqualTo(RolloutPhase.Healthy);
    assertThat(cluster.status.currentPodHash).isEqualTo(V1);
    assertThat(cluster.status.currentWeight).isZero();
    assertThat(cluster.weight).isZero();
    assertThat(cluster.pins)
        .containsEntry(Side.STABLE, Set.of(V1))
        .containsEntry(Side.CANARY, Set.of(V1));
    assertThat(cluster.actions())
        .containsExactly(
            new SetWeight(0),
            new Pin(Side.CANARY, V1),
            new ScaleRevision(V2, 2, NOW.plusSeconds(30)));
    assertThat(cluster.events).extracting(e -> e.reason().name()).containsExactly("RolledBack");
    assertThat(cluster.violations).isEmpty();
  }
}
