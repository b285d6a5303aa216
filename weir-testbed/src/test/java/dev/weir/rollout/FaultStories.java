package dev.weir.rollout;

import static dev.weir.testing.RolloutAssert.awaitRollout;

import dev.weir.api.v1alpha1.Rollout;
import dev.weir.testing.Manifests;
import dev.weir.testing.RealControlPlane;
import dev.weir.testing.RealTier;
import dev.weir.testing.ReleaseRecorder;
import dev.weir.testing.ReleaseRecorder.Outcome;
import dev.weir.testing.ThreadDumpOnFailure;
import dev.weir.testing.Tier;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * What the fault stories share: the multi-step canary of examples/canary-analysis (20 %, a pause,
 * an analysis, 50 %, a pause, an analysis, with the background analysis throughout) judged by the
 * real Prometheus, and on the real control plane a {@link ReleaseRecorder} watching the release
 * from before v2 is declared, so that each story, whatever fault it throws, ends by checking the
 * same four invariants.
 */
@ExtendWith(ThreadDumpOnFailure.class)
abstract class FaultStories extends MeshStories {

  ReleaseRecorder recorder;
  String v1;

  FaultStories(Tier tier) {
    super(tier);
  }

  RealControlPlane cluster() {
    return ((RealTier) tier).cluster();
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

  /** When v2 is declared, recorded from before: returns its hash. */
  String whenV2IsReleasedAndRecorded(Map<String, String> behaviour) {
    v1 = checkout.status().stableRS;
    recorder = ReleaseRecorder.start(client(), checkout.rollout());
    closeables.add(recorder);
    return whenV2IsReleased(behaviour);
  }

  /** Then the release ends as expected, and the record shows the four invariants held. */
  void thenTheReleaseEnds(String v2, Outcome outcome) {
    if (outcome == Outcome.PROMOTED) {
      awaitRollout(checkout, "v2 promoted and healthy", r -> r.isHealthyOn(v2).withCanaryWeight(0));
    } else {
      awaitRollout(
          checkout,
          "v2 aborted, all traffic on v1",
          r -> r.isAbortedBackTo(v1).withCanaryWeight(0));
    }
    recorder.assertHeld(v1, v2, outcome);
  }

  /** Whatever a story did to the control plane is undone before the next one (and the cleanup). */
  @AfterEach
  void healTheControlPlane() {
    if (tier instanceof RealTier real && real.cluster() != null) {
      real.cluster().heal();
    }
  }
}
