package dev.weir.rollout;

import static dev.weir.testing.RolloutAssert.assertThatRollout;
import static dev.weir.testing.RolloutAssert.awaitRollout;
import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.api.v1alpha1.AnalysisRun;
import dev.weir.api.v1alpha1.Rollout;
import dev.weir.testing.Manifests;
import dev.weir.testing.Tier;
import dev.weir.testing.mesh.TrafficSimulator;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * An aborted revision stays aborted, as a GitOps sync meets it: the template of a revision that
 * failed its analysis (judged by the real Prometheus) applied again after a revert is held on
 * stable, Degraded with reason RevisionAborted, until the status patch of {@code kubectl weir
 * retry}; a new template is released as usual. Each story runs in a namespace of its own.
 */
abstract class AbortedRevisionScenarios extends MeshStories {

  static final String V3 = "registry.example/checkout:2.6.0";

  AbortedRevisionScenarios(Tier tier) {
    super(tier);
  }

  @Override
  Rollout firstRollout() {
    return Manifests.quickAnalysisCanary(namespace, "5s");
  }

  @Override
  List<String> exampleTraffic() {
    return List.of(
        "examples/canary-istio/services.yaml", "examples/canary-istio/virtualservice.yaml");
  }

  List<AnalysisRun> analysisRuns() {
    return client().resources(AnalysisRun.class).inNamespace(namespace).list().getItems();
  }

  /** A sync applies the template git declares now. */
  void sync(PodTemplateSpec template) {
    checkout.edit(
        r -> {
          r.getSpec().template = template;
          return r;
        });
  }

  @Test
  void anAbortedRevisionSyncedAgainIsHeldOnStableUntilRetriedAndANewCommitIsReleased() {
    givenStableV1(BUSY);
    String v1 = checkout.status().stableRS;
    PodTemplateSpec v1Template = checkout.rollout().getSpec().template;
    String v2 = whenV2IsReleased(Map.of(TrafficSimulator.ERROR_RATE, "0.2"));
    PodTemplateSpec v2Template = checkout.rollout().getSpec().template;
    awaitRollout(
        checkout, "v2 aborted by its analysis", r -> r.isAbortedBackTo(v1).withCanaryWeight(0));
    var aborted = checkout.status().abortedRevisions.get(0);
    assertThat(aborted.podTemplateHash).isEqualTo(v2);
    assertThat(aborted.reason).isEqualTo("AnalysisFailed");
    assertThat(aborted.images).containsExactly(V2);
    assertThat(aborted.analysisRun).startsWith("checkout-" + v2 + "-");
    assertThat(aborted.metric).isNotBlank();
    assertThat(aborted.value).isNotBlank();

    // The revert, synced: back on v1.
    sync(v1Template);
    awaitRollout(
        checkout, "v1 healthy again, v2 scaled down", r -> r.isHealthyOn(v1).hasReplicas(v2, 0));
    assertThatRollout(checkout).remembersAborted(v2, "AnalysisFailed");
    int runs = analysisRuns().size();

    // The bad commit, synced again.
    sync(v2Template);
    awaitRollout(checkout, "v2 held on stable", r -> r.holds(v2).recorded("RevisionAborted"));
    assertThatRollout(checkout)
        .hasStable(v1)
        .withCanaryWeight(0)
        .hasReplicas(v2, 0)
        .hasServiceSelecting("checkout-canary", v1)
        .saying("kubectl weir retry checkout", "AnalysisFailed: metric " + aborted.metric)
        .recordedOnce("NewRevision");
    assertThat(analysisRuns()).as("no analysis started for it").hasSize(runs);
    var rollout = Map.of("namespace", namespace, "rollout", "checkout");
    assertThat(scrape().value("weir_rollout_declares_aborted_revision", rollout)).contains(1.0);
    assertThat(scrape().value("weir_rollout_aborted_revisions", rollout)).contains(1.0);
    assertThat(
            scrape()
                .value(
                    "weir_rollout_aborts_total",
                    Map.of(
                        "namespace", namespace, "rollout", "checkout", "reason", "AnalysisFailed")))
        .as("a held revision is not another abort")
        .contains(1.0);

    // kubectl weir retry: the status patch the plugin sends.
    Instant firstAbort = Instant.parse(aborted.abortedAt);
    checkout.retry();
    awaitRollout(
        checkout,
        "v2 released again, and aborted again by its analysis",
        r -> r.recordedInOrder("RevisionAborted", "Retried", "WeightSet").isAbortedBackTo(v1));
    var again = checkout.status().abortedRevisions.get(0);
    assertThat(again.podTemplateHash).isEqualTo(v2);
    assertThat(Instant.parse(again.abortedAt)).isAfter(firstAbort);
    assertThat(again.analysisRun).as("a run of its own").isNotEqualTo(aborted.analysisRun);

    // A new commit: released as usual.
    String v3 = checkout.hashOfRelease(V3, Map.of());
    checkout.edit(
        r -> {
          r.getSpec().template.getSpec().getContainers().get(0).setImage(V3);
          r.getSpec().template.getMetadata().setAnnotations(Map.of());
          return r;
        });
    // Only its release starting is asked for: Prometheus still remembers v2's errors on the
    // canary Service for the length of the background analysis' long window.
    awaitRollout(
        checkout,
        "v3 released: the canary takes traffic",
        r -> r.declares(v3).recordedInOrder("Retried", "Superseded", "NewRevision", "WeightSet"));
    assertThatRollout(checkout)
        .recordedOnce("RevisionAborted")
        .remembersAborted(v2, "AnalysisFailed");
  }
}
