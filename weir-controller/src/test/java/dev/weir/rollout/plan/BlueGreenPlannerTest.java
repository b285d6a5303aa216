package dev.weir.rollout.plan;

import static dev.weir.rollout.plan.PlannerFixtures.V1;
import static dev.weir.rollout.plan.PlannerFixtures.V2;
import static dev.weir.rollout.plan.PlannerFixtures.V3;
import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.api.v1alpha1.AnalysisPhase;
import dev.weir.api.v1alpha1.AnalysisTemplateRef;
import dev.weir.api.v1alpha1.BlueGreenStrategy;
import dev.weir.api.v1alpha1.RolloutAnalysis;
import dev.weir.api.v1alpha1.RolloutPhase;
import dev.weir.api.v1alpha1.RolloutSpec;
import dev.weir.api.v1alpha1.TrafficRouting;
import dev.weir.rollout.plan.Action.CreateRevision;
import dev.weir.rollout.plan.Action.Pin;
import dev.weir.rollout.plan.Action.ScaleRevision;
import dev.weir.rollout.plan.Action.SetWeight;
import dev.weir.traffic.Side;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * The blue-green planner on the {@link SimulatedCluster}: 5 replicas, the active Service
 * checkout-stable and the preview Service checkout-canary (Side STABLE and CANARY), v1 active, v2
 * released.
 */
class BlueGreenPlannerTest {

  private static RolloutSpec blueGreen(Consumer<BlueGreenStrategy> adjust) {
    return PlannerFixtures.blueGreenSpec(adjust);
  }

  private static RolloutAnalysis analysis(String template) {
    var analysis = new RolloutAnalysis();
    analysis.templates = List.of(new AnalysisTemplateRef(template));
    return analysis;
  }

  private static SimulatedCluster v2Released(RolloutSpec spec) {
    return SimulatedCluster.stableOn(spec, V1).declare(V2).reconcile();
  }

  @Test
  void theNewRevisionIsPreviewedInFullThenTheActiveSelectorSwitchesAndTheOldOneStaysUp() {
    var cluster = v2Released(blueGreen(b -> {}));

    assertThat(cluster.status.stableRS).isEqualTo(V2);
    assertThat(cluster.pins.get(Side.STABLE)).containsExactly(V2);
    assertThat(cluster.pins.get(Side.CANARY)).containsExactly(V2);
    assertThat(cluster.replicas(V1)).as("kept for an instant rollback").isEqualTo(5);
    int previewFull = cluster.indexOf(new ScaleRevision(V2, 5, null), new CreateRevision(V2, 5, 2));
    int switched = cluster.actions().indexOf(new Pin(Side.STABLE, V2));
    assertThat(previewFull).isLessThan(switched);
    assertThat(cluster.events)
        .extracting(e -> e.reason().name())
        .contains("PreviewReady", "Switched", "Promoted");

    cluster.advance(Duration.ofSeconds(31));
    cluster.reconcile();
    assertThat(cluster.replicas(V1)).as("after scaleDownDelaySeconds").isZero();
    assertThat(cluster.status.phase).isEqualTo(RolloutPhase.Healthy);
  }

  @Test
  void thePreviewSideMovesToTheNewRevisionOnlyOnceItsPodsAreAvailable() {
    var spec = blueGreen(b -> b.prePromotionAnalysis = analysis("smoke"));
    var cluster = SimulatedCluster.stableOn(spec, V1).holdPods().declare(V2).reconcile();

    assertThat(cluster.replicas(V2)).as("asked for").isEqualTo(5);
    assertThat(cluster.pins.get(Side.CANARY))
        .as("the smoke tests' requests find v1's pods meanwhile")
        .containsExactly(V1);
    assertThat(cluster.status.stepAnalysisRun).as("nothing judged yet").isNull();

    cluster.podsStart = true;
    // The pods start during the first reconcile; their readiness is the event of the second.
    cluster.reconcile().reconcile();

    assertThat(cluster.pins.get(Side.CANARY)).containsExactly(V2);
    assertThat(cluster.status.stepAnalysisRun.name).isEqualTo("checkout-v2-1-pre-promotion");
  }

  @Test
  void previewReplicaCountIsThePreviewSizeUntilTheSwitch() {
    var cluster =
        v2Released(
            blueGreen(
                b -> {
                  b.previewReplicaCount = 1;
                  b.autoPromotionEnabled = false;
                }));
    assertThat(cluster.replicas(V2)).isEqualTo(1);
    assertThat(cluster.status.phase).isEqualTo(RolloutPhase.Paused);
    assertThat(cluster.pins.get(Side.STABLE)).containsExactly(V1);

    cluster.promote().reconcile();

    assertThat(cluster.status.stableRS).isEqualTo(V2);
    assertThat(cluster.replicas(V2)).isEqualTo(5);
    assertThat(cluster.events).extracting(e -> e.reason().name()).contains("PromotionApproved");
  }

  @Test
  void aFailingPrePromotionAnalysisAbortsAndTheActiveSideNeverMoves() {
    var cluster = v2Released(blueGreen(b -> b.prePromotionAnalysis = analysis("smoke")));
    assertThat(cluster.status.stepAnalysisRun.name).isEqualTo("checkout-v2-1-pre-promotion");

    cluster.verdict("pre-promotion", AnalysisPhase.Failed, "metric smoke: 1 failed").reconcile();

    assertThat(cluster.status.abort).isTrue();
    assertThat(cluster.status.abortMessage).contains("pre-promotion analysis", "smoke");
    assertThat(cluster.actions()).doesNotContain(new Pin(Side.STABLE, V2));
    assertThat(cluster.pins.get(Side.STABLE)).containsExactly(V1);
    cluster.advance(Duration.ofSeconds(31));
    cluster.reconcile();
    assertThat(cluster.replicas(V2)).isZero();
  }

  @Test
  void aFailingPostPromotionAnalysisSwitchesBackAtOnceAndTheOldSideWasNeverScaledDown() {
    var cluster = v2Released(blueGreen(b -> b.postPromotionAnalysis = analysis("slo")));
    assertThat(cluster.pins.get(Side.STABLE)).as("switched").containsExactly(V2);
    assertThat(cluster.status.stableRS).as("not promoted before its analysis").isEqualTo(V1);

    cluster.verdict("post-promotion", AnalysisPhase.Failed, "metric slo: 2 failed").reconcile();

    assertThat(cluster.status.abort).isTrue();
    assertThat(cluster.pins.get(Side.STABLE)).containsExactly(V1);
    assertThat(cluster.status.stableRS).isEqualTo(V1);
    assertThat(cluster.actions())
        .noneMatch(a -> a instanceof ScaleRevision s && s.hash().equals(V1) && s.replicas() < 5);
  }

  @Test
  void withIstioTheSwitchIsTheWeightsVerifiedThenTheActiveServiceFollows() {
    var cluster = v2Released(blueGreen(b -> b.trafficRouting = new TrafficRouting()));

    var actions = cluster.actions();
    int toPreview = actions.indexOf(new SetWeight(100));
    int activeFollows = actions.indexOf(new Pin(Side.STABLE, V2));
    int weightBack = actions.lastIndexOf(new SetWeight(0));
    assertThat(toPreview).isNotNegative().isLessThan(activeFollows);
    assertThat(activeFollows).isLessThan(weightBack);
    assertThat(cluster.weight).isZero();
    assertThat(cluster.status.stableRS).isEqualTo(V2);
    assertThat(cluster.violations).isEmpty();
  }

  @Test
  void aNewRevisionWhileThePreviewIsUpReplacesThePreview() {
    var cluster = v2Released(blueGreen(b -> b.autoPromotionEnabled = false));
    assertThat(cluster.status.phase).isEqualTo(RolloutPhase.Paused);

    cluster.declare(V3).reconcile();

    assertThat(cluster.pins.get(Side.CANARY)).containsExactly(V3);
    assertThat(cluster.pins.get(Side.STABLE)).containsExactly(V1);
    cluster.advance(Duration.ofSeconds(31));
    cluster.reconcile();
    assertThat(cluster.replicas(V2)).isZero();
  }
}
