package dev.weir.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.api.v1alpha1.Rollout;
import dev.weir.api.v1alpha1.RolloutPhase;
import dev.weir.testing.Kubelet;
import dev.weir.testing.Manifests;
import dev.weir.testing.RolloutScenario;
import dev.weir.testing.RunningWeir;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The example every GitOps guide shows, on the fabric8 mock API server. */
@EnableKubernetesMockClient(crud = true)
class ClassicCanaryMockTest {

  KubernetesClient client;
  Kubelet kubelet;
  RunningWeir weir;
  RolloutScenario checkout;

  @BeforeEach
  void givenStableV1() {
    Manifests.apply(client, "target/classes/META-INF/fabric8/rollouts.weir.dev-v1.yml");
    Manifests.apply(client, "src/test/resources/crds/istio-networking.yaml");
    Manifests.apply(client, "examples/canary-istio/namespace.yaml");
    Manifests.apply(client, "examples/canary-istio/services.yaml");
    Manifests.apply(client, "examples/canary-istio/virtualservice.yaml");
    kubelet = new Kubelet(client).start();
    weir = RunningWeir.start(client);
    var rollout = Manifests.load("examples/canary-istio/rollout.yaml", Rollout.class);
    // Compressed pauses and delays: the steps are the example's own.
    rollout.getSpec().strategy.canary.steps.stream()
        .filter(s -> s.pause != null && s.pause.duration != null)
        .forEach(s -> s.pause.duration = new IntOrString("1s"));
    rollout.getSpec().strategy.canary.scaleDownDelaySeconds = 1;
    rollout.getSpec().strategy.canary.abortScaleDownDelaySeconds = 1;
    client.resource(rollout).create();
    checkout = new RolloutScenario(client, "shop", "checkout");
    checkout.awaitStatus("v1 healthy", s -> s.phase == RolloutPhase.Healthy);
  }

  @AfterEach
  void stop() {
    weir.close();
    kubelet.close();
  }

  @Test
  void v2RunsThroughEveryStepToPromotion() {
    String v1 = checkout.status().stableRS;
    assertThat(checkout.serviceSelectorHash("checkout-stable")).isEqualTo(v1);

    checkout.setImage("registry.example/checkout:2.5.0");
    var paused =
        checkout.awaitStatus(
            "paused at the manual pause",
            s -> s.phase == RolloutPhase.Paused && s.currentStepIndex == 1);
    String v2 = paused.currentPodHash;
    assertThat(v2).isNotEqualTo(v1);
    assertThat(checkout.canaryWeight("checkout", "primary", "checkout-canary")).isEqualTo(10);
    assertThat(checkout.replicasByRevision()).containsEntry(v1, 5).containsEntry(v2, 1);
    assertThat(checkout.serviceSelectorHash("checkout-canary")).isEqualTo(v2);

    checkout.promote();
    var done =
        checkout.awaitStatus(
            "v2 promoted", s -> v2.equals(s.stableRS) && s.phase == RolloutPhase.Healthy);
    assertThat(done.currentStepIndex).isEqualTo(6);
    assertThat(checkout.serviceSelectorHash("checkout-stable")).isEqualTo(v2);
    assertThat(checkout.canaryWeight("checkout", "primary", "checkout-canary")).isZero();
    checkout.awaitStatus("old stable scaled down", s -> checkout.replicasByRevision().get(v1) == 0);
    assertThat(checkout.replicasByRevision()).containsEntry(v2, 5);
    assertThat(checkout.eventReasons())
        .containsSubsequence("NewRevision", "WeightSet", "WeightSet", "WeightSet", "Promoted");
  }
}
