package dev.weir.rollout;

import static dev.weir.testing.ClassicCanary.V2;
import static dev.weir.testing.RolloutAssert.assertThatRollout;
import static dev.weir.testing.RolloutAssert.awaitRollout;
import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.api.v1alpha1.Rollout;
import dev.weir.api.v1alpha1.WorkloadScaleDown;
import dev.weir.testing.Manifests;
import dev.weir.testing.MockTier;
import dev.weir.testing.RolloutScenario;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * An existing Deployment taken over by a Rollout (spec.workloadRef) on the fabric8 mock API server:
 * the fast tier. Nothing runs the Deployment's pods here, so the stories follow what Weir does to
 * it (its spec.replicas) and to the Rollout; availability, the autoscaler and the hand-back are
 * told on the real tier ({@link WorkloadRefRealTierTest}).
 */
class WorkloadRefMockTierTest extends ReleaseStories {

  private static final int PODS = 5;

  WorkloadRefMockTierTest() {
    super(new MockTier());
  }

  @Test
  void aDeploymentIsTakenOverProgressivelyAndAChangeOfItsTemplateIsReleasedAsACanary() {
    var deployment = givenDeploymentAndRollout(WorkloadScaleDown.progressively);

    String v1 = awaitRollout(checkout, "v1 healthy", r -> r.isHealthy()).stableRS;
    awaitRollout(checkout, "the rollout's 5 pods", r -> r.hasReplicas(v1, PODS));
    deployment.awaitReplicas(0);

    deployment.setImage(V2);
    String v2 =
        awaitRollout(checkout, "v2 at 10 %", r -> r.isPausedAtStep(2).withCanaryWeight(10))
            .currentPodHash;
    assertThat(v2).isNotEqualTo(v1);
    checkout.promote();
    awaitRollout(checkout, "v2 promoted", r -> r.isHealthyOn(v2));
    assertThatRollout(checkout).recorded("NewRevision", "Promoted");
    assertThat(deployment.now().getSpec().getReplicas()).as("the Deployment stays at 0").isZero();
  }

  @Test
  void withScaleDownNeverTheDeploymentKeepsItsPods() {
    var deployment = givenDeploymentAndRollout(WorkloadScaleDown.never);

    String v1 = awaitRollout(checkout, "v1 healthy", r -> r.isHealthy()).stableRS;
    awaitRollout(checkout, "the rollout's 5 pods", r -> r.hasReplicas(v1, PODS));

    assertThat(deployment.now().getSpec().getReplicas()).isEqualTo(PODS);
  }

  @Test
  void aDeploymentNotThereIsAnInvalidSpecUntilItAppears() {
    startKubeletAndWeir(Optional.empty(), 0);
    applyMesh();
    client().resource(rolloutTakingOver(WorkloadScaleDown.progressively)).create();
    checkout = new RolloutScenario(client(), namespace, "checkout");

    awaitRollout(
        checkout,
        "InvalidSpec naming the reference",
        r -> r.hasConditionFor("InvalidSpec", "InvalidSpec").saying("spec.workloadRef.name"));
    assertThat(checkout.replicaSets()).as("no ReplicaSet").isEmpty();

    TakenOverDeployment.create(client(), namespace, Manifests.compressedClassicCanary(), PODS);
    String v1 = awaitRollout(checkout, "v1 healthy", r -> r.isHealthy()).stableRS;
    awaitRollout(checkout, "the rollout's 5 pods", r -> r.hasReplicas(v1, PODS));
  }

  /**
   * Given the Services and VirtualService of examples/canary-istio, a Deployment of 5 with the
   * template of examples/canary-istio/rollout.yaml, and a Rollout naming it.
   */
  private TakenOverDeployment givenDeploymentAndRollout(WorkloadScaleDown scaleDown) {
    startKubeletAndWeir(Optional.empty(), 0);
    applyMesh();
    var deployment =
        TakenOverDeployment.create(client(), namespace, Manifests.compressedClassicCanary(), PODS);
    client().resource(rolloutTakingOver(scaleDown)).create();
    checkout = new RolloutScenario(client(), namespace, "checkout");
    return deployment;
  }

  private void applyMesh() {
    Manifests.apply(client(), "examples/canary-istio/namespace.yaml");
    Manifests.apply(client(), "examples/canary-istio/services.yaml");
    Manifests.apply(client(), "examples/canary-istio/virtualservice.yaml");
  }

  /** examples/canary-istio's Rollout, compressed, naming the Deployment instead of a template. */
  private static Rollout rolloutTakingOver(WorkloadScaleDown scaleDown) {
    return TakenOverDeployment.rolloutTakingOver(Manifests.compressedClassicCanary(), scaleDown);
  }
}
