package dev.weir.rollout;

import static dev.weir.testing.RolloutAssert.assertThatRollout;
import static dev.weir.testing.RolloutAssert.awaitRollout;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.weir.api.WellKnownNames;
import dev.weir.api.v1alpha1.AnalysisArgument;
import dev.weir.api.v1alpha1.AnalysisPhase;
import dev.weir.api.v1alpha1.AnalysisRun;
import dev.weir.api.v1alpha1.PodMetadata;
import dev.weir.api.v1alpha1.Rollout;
import dev.weir.api.v1alpha1.RolloutPhase;
import dev.weir.testing.Manifests;
import dev.weir.testing.ReplicaRecorder;
import dev.weir.testing.RolloutScenario;
import dev.weir.testing.Tier;
import dev.weir.testing.TrafficRecorder;
import dev.weir.testing.mesh.TrafficSimulator;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * Blue-green releases of examples/blue-green, judged by the real Prometheus: v2 is previewed behind
 * checkout-preview (2 pods) with smoke-test traffic sent straight to it, switched to with the
 * VirtualService weights, and judged again on production traffic while v1 stays up. The rollout's
 * own args make the measurements quick; the scale-down delay is 3 s.
 */
abstract class BlueGreenScenarios extends MeshStories {

  BlueGreenScenarios(Tier tier) {
    super(tier);
  }

  static final String ACTIVE = "checkout-active";
  static final String PREVIEW = "checkout-preview";

  private Consumer<Rollout> adjust = r -> {};

  @Override
  List<String> exampleTraffic() {
    return List.of("examples/blue-green/services.yaml", "examples/blue-green/virtualservice.yaml");
  }

  @Override
  Rollout firstRollout() {
    var rollout = Manifests.quickBlueGreen("examples/blue-green/rollout.yaml", namespace);
    adjust.accept(rollout);
    return rollout;
  }

  /** Given v1 active, with smoke tests sending 20 requests a second to the preview Service. */
  void givenActiveV1(Consumer<Rollout> adjust) {
    this.adjust = adjust;
    givenStableV1(BUSY);
    smokeTestsTo(PREVIEW, 20);
  }

  AnalysisPhase phaseOf(String site) {
    return client().resources(AnalysisRun.class).inNamespace(namespace).list().getItems().stream()
        .filter(r -> r.getMetadata().getName().endsWith("-" + site))
        .map(r -> r.getStatus() == null ? AnalysisPhase.Pending : r.getStatus().phase)
        .findFirst()
        .orElse(null);
  }

  @Test
  void v2PassesItsPreAndPostPromotionAnalysisAndReplacesV1() {
    givenActiveV1(r -> {});
    String v1 = checkout.status().stableRS;
    long unansweredBefore = mesh.noHealthyUpstream(PREVIEW);
    try (var replicas = new ReplicaRecorder(client(), namespace)) {
      String v2 = whenV2IsReleased(Map.of());

      awaitRollout(checkout, "v2 promoted and healthy", r -> r.isHealthyOn(v2));
      assertThat(mesh.noHealthyUpstream(PREVIEW) - unansweredBefore)
          .as("smoke-test requests to the preview that found no ready pod (503 UH)")
          .isZero();
      assertThatRollout(checkout)
          .hasServiceSelecting(ACTIVE, v2)
          .hasServiceSelecting(PREVIEW, v2)
          .as("the active Service carries the traffic again")
          .withCanaryWeight(0);
      assertThat(phaseOf("pre-promotion")).isEqualTo(AnalysisPhase.Successful);
      assertThat(phaseOf("post-promotion")).isEqualTo(AnalysisPhase.Successful);
      assertThat(replicas.fewest(v2)).as("previewed at previewReplicaCount").isEqualTo(2);
      assertThatRollout(checkout)
          .recordedInOrder(
              "PreviewReady", "AnalysisPassed", "Switched", "AnalysisPassed", "Promoted");
      awaitRollout(
          checkout, "v1 scaled down after scaleDownDelaySeconds", r -> r.hasReplicas(v1, 0));
    }
  }

  @Test
  void aFailingPrePromotionAnalysisAbortsAndTheActiveSideNeverMoves() {
    givenActiveV1(r -> {});
    String v1 = checkout.status().stableRS;
    var errors = Map.of(TrafficSimulator.ERROR_RATE, "0.5");
    String v2 = checkout.hashOfRelease(V2, errors);
    try (var traffic = new TrafficRecorder(client(), namespace, "checkout", v2)) {
      assertThat(whenV2IsReleased(errors)).as("the revision recorded").isEqualTo(v2);

      awaitRollout(checkout, "v2 aborted by its pre-promotion analysis", r -> r.isAborted());
      assertThatRollout(checkout).because("pre-promotion analysis", "success-rate");
      assertThat(traffic.shares()).as("v2's share of production traffic, ever").containsOnly(0);
    }
    assertThatRollout(checkout).hasServiceSelecting(ACTIVE, v1).neverRecorded("Switched");
    awaitRollout(checkout, "v2 scaled down", r -> r.hasReplicas(v2, 0));
  }

  @Test
  void aFailingPostPromotionAnalysisSwitchesBackAtOnceAndV1WasNeverScaledDown() {
    // The smoke tests are judged leniently, production strictly: 20 % errors pass one, fail the
    // other.
    givenActiveV1(
        r ->
            r.getSpec()
                .strategy
                .blueGreen
                .prePromotionAnalysis
                .args
                .add(new AnalysisArgument("threshold", "0.5")));
    String v1 = checkout.status().stableRS;
    try (var replicas = new ReplicaRecorder(client(), namespace)) {
      whenV2IsReleased(Map.of(TrafficSimulator.ERROR_RATE, "0.2"));
      checkout.awaitStatus(
          "switched to v2", s -> s.verifiedWeight != null && s.verifiedWeight == 100);

      awaitRollout(checkout, "v2 rolled back by its post-promotion analysis", r -> r.isAborted());
      assertThatRollout(checkout).isAbortedBackTo(v1).because("post-promotion analysis");
      checkout.awaitStatus("all traffic back on v1", s -> s.verifiedWeight == 0);
      assertThatRollout(checkout).hasServiceSelecting(ACTIVE, v1);
      assertThat(replicas.fewest(v1)).as("v1 was never scaled down").isEqualTo(5);
    }
  }

  @Test
  void withoutIstioAManualPromotionSwitchesTheActiveSelector() {
    givenActiveV1(
        r -> {
          var blueGreen = r.getSpec().strategy.blueGreen;
          blueGreen.trafficRouting = null;
          blueGreen.prePromotionAnalysis = null;
          blueGreen.postPromotionAnalysis = null;
          blueGreen.autoPromotionEnabled = false;
          blueGreen.activeMetadata = new PodMetadata();
          blueGreen.activeMetadata.labels = Map.of("role", "active");
          blueGreen.previewMetadata = new PodMetadata();
          blueGreen.previewMetadata.labels = Map.of("role", "preview");
        });
    String v1 = checkout.status().stableRS;
    String v2 = whenV2IsReleased(Map.of());

    checkout.awaitStatus("v2 previewed, waiting for promote", s -> s.phase == RolloutPhase.Paused);
    assertThatRollout(checkout)
        .saying("waiting for promote")
        .hasServiceSelecting(PREVIEW, v2)
        .hasServiceSelecting(ACTIVE, v1)
        .hasReplicas(v2, 2);
    awaitRole(v2, "preview");
    awaitRole(v1, "active");

    checkout.promote();

    awaitRollout(checkout, "v2 promoted", r -> r.isHealthyOn(v2));
    assertThatRollout(checkout).hasServiceSelecting(ACTIVE, v2).hasReplicas(v2, 5);
    awaitRole(v2, "active");
    awaitRole(v1, null);
  }

  /** The role label on a revision's pod template, and on every pod it has made. */
  void awaitRole(String hash, String role) {
    await("pods of " + hash + " labelled role=" + role)
        .atMost(RolloutScenario.PATIENCE)
        .until(
            () -> {
              var rs =
                  checkout.replicaSets().stream()
                      .filter(r -> r.getMetadata().getName().endsWith("-" + hash))
                      .findFirst()
                      .orElseThrow();
              boolean template =
                  java.util.Objects.equals(
                      role, rs.getSpec().getTemplate().getMetadata().getLabels().get("role"));
              boolean pods =
                  client()
                      .pods()
                      .inNamespace(namespace)
                      .withLabel(WellKnownNames.POD_TEMPLATE_HASH_LABEL, hash)
                      .list()
                      .getItems()
                      .stream()
                      .allMatch(
                          p ->
                              java.util.Objects.equals(
                                  role, p.getMetadata().getLabels().get("role")));
              return template && pods;
            });
  }
}
