package dev.weir.rollout.plan;

import static dev.weir.rollout.plan.PlannerFixtures.NOW;
import static dev.weir.rollout.plan.PlannerFixtures.V1;
import static dev.weir.rollout.plan.PlannerFixtures.V2;
import static dev.weir.rollout.plan.PlannerFixtures.V3;
import static dev.weir.rollout.plan.PlannerFixtures.canaryV2At;
import static dev.weir.rollout.plan.PlannerFixtures.releasingV2;
import static dev.weir.rollout.plan.PlannerFixtures.revision;
import static dev.weir.rollout.plan.PlannerFixtures.seen;
import static dev.weir.rollout.plan.PlannerFixtures.status;
import static dev.weir.rollout.plan.PlannerFixtures.traffic;
import static dev.weir.rollout.plan.PlannerRow.asksFor;
import static dev.weir.rollout.plan.PlannerRow.row;
import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.api.v1alpha1.RolloutPhase;
import dev.weir.rollout.plan.Action.CreateRevision;
import dev.weir.rollout.plan.Action.Pin;
import dev.weir.rollout.plan.Action.ScaleRevision;
import dev.weir.rollout.plan.Action.SetWeight;
import dev.weir.traffic.Side;
import java.time.Duration;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A newer revision declared mid-release supersedes the one in progress: traffic comes off it first,
 * its pause goes, the canary side is pointed at the newer revision, which starts at step 0, and the
 * superseded canary scales down after 30s; the stable revision is never touched. The spec is
 * examples/canary-istio (5 replicas; steps 10 %, pause, 30 %, pause 2m, 60 %, pause 2m); v1 is
 * stable, v2 the canary in progress, v3 the newer revision.
 */
class SupersedePlanTest {

  static Stream<PlannerRow> supersede() {
    var trafficOffV2First =
        asksFor(new SetWeight(0))
            .phase(RolloutPhase.Progressing)
            .step(0)
            .weight(0)
            .events("Superseded", "NewRevision");
    return Stream.of(
        row("v3 declared at step 2 of v2 (10 %): traffic off v2 first")
            .given(releasingV2().atStep(2).weight(10))
            .seeing(canaryV2At(10).declared(V3).revisions(revision(V2).replicas(1).available(1)))
            .then(trafficOffV2First),
        row("v3 declared while v2 waits for promote: the pause is gone too")
            .given(releasingV2().atStep(1).weight(10).pausedSince(NOW.minusSeconds(60)))
            .seeing(canaryV2At(10).declared(V3).revisions(revision(V2).replicas(1).available(1)))
            .then(trafficOffV2First),
        row("weight 0 read back: the canary side is pointed at v3")
            .given(status().stable(V1).canary(V3).atStep(0).weight(0))
            .seeing(canaryV2At(0).declared(V3).revisions(revision(V2).replicas(1).available(1)))
            .then(
                asksFor(new Pin(Side.CANARY, V3))
                    .phase(RolloutPhase.Progressing)
                    .step(0)
                    .weight(0)),
        row("canary side on v3: v2 goes after 30s, v3 comes up for 10 %")
            .given(status().stable(V1).canary(V3).atStep(0).weight(0))
            .seeing(
                seen()
                    .declared(V3)
                    .traffic(traffic().canaryWeight(0).stableSelects(V1).canarySelects(V3))
                    .revisions(
                        revision(V1).replicas(5).available(5),
                        revision(V2).replicas(1).available(1)))
            .then(
                asksFor(new ScaleRevision(V2, 1, NOW.plusSeconds(30)), new CreateRevision(V3, 1, 3))
                    .phase(RolloutPhase.Progressing)
                    .step(0)
                    .weight(0)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("supersede")
  void aNewRevisionMidCanarySupersedesTheOneInProgress(PlannerRow row) {
    var plan = row.planAndCheck();
    assertThat(plan.status().currentPodHash).isEqualTo(V3);
    assertThat(plan.status().stableRS).isEqualTo(V1);
    assertThat(plan.status().pauseConditions).isEmpty();
    assertThat(plan.actions())
        .as("stable is untouched")
        .noneMatch(a -> a instanceof ScaleRevision s && s.hash().equals(V1))
        .noneMatch(a -> a instanceof Pin p && p.side() == Side.STABLE);
  }

  @Test
  void givenV2At30PercentWhenV3IsAppliedThenV3StartsOverAndV2Goes() {
    var cluster = SimulatedCluster.v2At30Percent();

    cluster.advance(Duration.ofSeconds(5));
    cluster.declare(V3).reconcile();

    assertThat(cluster.status.currentPodHash).isEqualTo(V3);
    assertThat(cluster.status.currentStepIndex).isEqualTo(1);
    assertThat(cluster.status.phase).isEqualTo(RolloutPhase.Paused);
    assertThat(cluster.weight).isEqualTo(10);
    assertThat(cluster.pins)
        .containsEntry(Side.STABLE, Set.of(V1))
        .containsEntry(Side.CANARY, Set.of(V3));
    assertThat(cluster.replicas(V3)).isEqualTo(1);
    assertThat(cluster.replicas(V1)).as("stable untouched").isEqualTo(5);
    assertThat(cluster.actions())
        .startsWith(new SetWeight(0), new Pin(Side.CANARY, V3))
        .noneMatch(a -> a instanceof ScaleRevision s && s.hash().equals(V1));
    assertThat(cluster.events)
        .extracting(e -> e.reason().name())
        .containsExactly("Superseded", "NewRevision", "WeightSet", "AwaitingPromotion");

    cluster.advance(Duration.ofSeconds(30));
    cluster.reconcile();
    assertThat(cluster.replicas(V2)).isZero();
    assertThat(cluster.violations).isEmpty();
  }
}
