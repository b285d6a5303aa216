package dev.weir.rollout.plan;

import static dev.weir.rollout.plan.PlannerFixtures.classicSpec;
import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.api.v1alpha1.AnalysisPhase;
import dev.weir.api.v1alpha1.AnalysisTemplateRef;
import dev.weir.api.v1alpha1.BlueGreenStrategy;
import dev.weir.api.v1alpha1.PromoteRequest;
import dev.weir.api.v1alpha1.RolloutAnalysis;
import dev.weir.api.v1alpha1.RolloutPhase;
import dev.weir.api.v1alpha1.RolloutSpec;
import dev.weir.api.v1alpha1.TrafficRouting;
import dev.weir.rollout.plan.Action.Pin;
import dev.weir.rollout.plan.Action.ScaleRevision;
import dev.weir.rollout.plan.Action.SetWeight;
import dev.weir.rollout.plan.CanaryPlannerTest.Cluster;
import dev.weir.traffic.Side;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The blue-green planner on the simulated cluster of {@link CanaryPlannerTest}: 5 replicas, the
 * active Service checkout-stable and the preview Service checkout-canary (Side STABLE and CANARY),
 * v1 active, v2 released.
 */
class BlueGreenPlannerTest {

  private static RolloutSpec blueGreen(java.util.function.Consumer<BlueGreenStrategy> adjust) {
    var spec = classicSpec();
    var istio = spec.strategy.canary.trafficRouting;
    spec.strategy.canary = null;
    spec.strategy.blueGreen = new BlueGreenStrategy();
    spec.strategy.blueGreen.activeService = "checkout-stable";
    spec.strategy.blueGreen.previewService = "checkout-canary";
    spec.strategy.blueGreen.scaleDownDelaySeconds = 30;
    adjust.accept(spec.strategy.blueGreen);
    if (spec.strategy.blueGreen.trafficRouting != null) {
      spec.strategy.blueGreen.trafficRouting = istio;
    }
    return spec;
  }

  private static RolloutAnalysis analysis(String template) {
    var analysis = new RolloutAnalysis();
    analysis.templates = List.of(new AnalysisTemplateRef(template));
    return analysis;
  }

  private static Cluster v2Released(RolloutSpec spec) {
    var cluster = new Cluster(spec, "v1").reconcile();
    cluster.template = "v2";
    return cluster.reconcile();
  }

  @Test
  void theNewRevisionIsPreviewedInFullThenTheActiveSelectorSwitchesAndTheOldOneStaysUp() {
    var cluster = v2Released(blueGreen(b -> {}));

    assertThat(cluster.status.stableRS).isEqualTo("v2");
    assertThat(cluster.pins.get(Side.STABLE)).containsExactly("v2");
    assertThat(cluster.pins.get(Side.CANARY)).containsExactly("v2");
    assertThat(cluster.replicas("v1")).as("kept for an instant rollback").isEqualTo(5);
    int previewFull =
        indexOf(cluster, new ScaleRevision("v2", 5, null), new Action.CreateRevision("v2", 5, 2));
    int switched = cluster.actions().indexOf(new Pin(Side.STABLE, "v2"));
    assertThat(previewFull).isLessThan(switched);
    assertThat(cluster.events)
        .extracting(e -> e.reason().name())
        .contains("PreviewReady", "Switched", "Promoted");

    cluster.advance(Duration.ofSeconds(31));
    cluster.reconcile();
    assertThat(cluster.replicas("v1")).as("after scaleDownDelaySeconds").isZero();
    assertThat(cluster.status.phase).isEqualTo(RolloutPhase.Healthy);
  }

  @Test
  void previewReplicaCountIsThePreviewSizeUntilTheSwitch() {
    var cluster =
        new Cluster(
                blueGreen(
                    b -> {
                      b.previewReplicaCount = 1;
                      b.autoPromotionEnabled = false;
                    }),
                "v1")
            .reconcile();
    cluster.template = "v2";
    cluster.reconcile();
    assertThat(cluster.replicas("v2")).isEqualTo(1);
    assertThat(cluster.status.phase).isEqualTo(RolloutPhase.Paused);
    assertThat(cluster.pins.get(Side.STABLE)).containsExactly("v1");

    cluster.status.promote = PromoteRequest.Step;
    cluster.reconcile();

    assertThat(cluster.status.stableRS).isEqualTo("v2");
    assertThat(cluster.replicas("v2")).isEqualTo(5);
    assertThat(cluster.events).extracting(e -> e.reason().name()).contains("PromotionApproved");
  }

  @Test
  void aFailingPrePromotionAnalysisAbortsAndTheActiveSideNeverMoves() {
    var cluster = v2Released(blueGreen(b -> b.prePromotionAnalysis = analysis("smoke")));
    assertThat(cluster.status.stepAnalysisRun.name).isEqualTo("checkout-v2-1-pre-promotion");

    cluster.verdict("pre-promotion", AnalysisPhase.Failed, "metric smoke: 1 failed").reconcile();

    assertThat(cluster.status.abort).isTrue();
    assertThat(cluster.status.abortMessage).contains("pre-promotion analysis", "smoke");
    assertThat(cluster.actions()).doesNotContain(new Pin(Side.STABLE, "v2"));
    assertThat(cluster.pins.get(Side.STABLE)).containsExactly("v1");
    cluster.advance(Duration.ofSeconds(31));
    cluster.reconcile();
    assertThat(cluster.replicas("v2")).isZero();
  }

  @Test
  void aFailingPostPromotionAnalysisSwitchesBackAtOnceAndTheOldSideWasNeverScaledDown() {
    var cluster = v2Released(blueGreen(b -> b.postPromotionAnalysis = analysis("slo")));
    assertThat(cluster.pins.get(Side.STABLE)).as("switched").containsExactly("v2");
    assertThat(cluster.status.stableRS).as("not promoted before its analysis").isEqualTo("v1");

    cluster.verdict("post-promotion", AnalysisPhase.Failed, "metric slo: 2 failed").reconcile();

    assertThat(cluster.status.abort).isTrue();
    assertThat(cluster.pins.get(Side.STABLE)).containsExactly("v1");
    assertThat(cluster.status.stableRS).isEqualTo("v1");
    assertThat(cluster.actions())
        .noneMatch(a -> a instanceof ScaleRevision s && s.hash().equals("v1") && s.replicas() < 5);
  }

  @Test
  void withIstioTheSwitchIsTheWeightsVerifiedThenTheActiveServiceFollows() {
    var cluster = v2Released(blueGreen(b -> b.trafficRouting = new TrafficRouting()));

    var actions = cluster.actions();
    int toPreview = actions.indexOf(new SetWeight(100));
    int activeFollows = actions.indexOf(new Pin(Side.STABLE, "v2"));
    int weightBack = actions.lastIndexOf(new SetWeight(0));
    assertThat(toPreview).isNotNegative().isLessThan(activeFollows);
    assertThat(activeFollows).isLessThan(weightBack);
    assertThat(cluster.weight).isZero();
    assertThat(cluster.status.stableRS).isEqualTo("v2");
    assertThat(cluster.violations).isEmpty();
  }

  @Test
  void aNewRevisionWhileThePreviewIsUpReplacesThePreview() {
    var cluster = v2Released(blueGreen(b -> b.autoPromotionEnabled = false));
    assertThat(cluster.status.phase).isEqualTo(RolloutPhase.Paused);

    cluster.template = "v3";
    cluster.reconcile();

    assertThat(cluster.pins.get(Side.CANARY)).containsExactly("v3");
    assertThat(cluster.pins.get(Side.STABLE)).containsExactly("v1");
    cluster.advance(Duration.ofSeconds(31));
    cluster.reconcile();
    assertThat(cluster.replicas("v2")).isZero();
  }

  private static int indexOf(Cluster cluster, Action... any) {
    for (Action a : any) {
      int i = cluster.actions().indexOf(a);
      if (i >= 0) {
        return i;
      }
    }
    throw new AssertionError("none of " + List.of(any) + " in " + cluster.actions());
  }
}
