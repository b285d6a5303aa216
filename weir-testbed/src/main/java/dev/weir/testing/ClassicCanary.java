package dev.weir.testing;

import static dev.weir.testing.RolloutAssert.assertThatRollout;
import static dev.weir.testing.RolloutAssert.awaitRollout;

import dev.weir.api.v1alpha1.Rollout;
import io.fabric8.istio.api.networking.v1beta1.VirtualService;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.function.Consumer;

/**
 * The release the canary stories and the plugin's tests begin with: the classic canary of
 * examples/canary-istio (5 replicas, 10 % → manual pause → 30 % → pause → 60 % → pause, route
 * {@code primary}), its timed pauses and scale-down delays compressed to a second ({@link
 * Manifests#compressedClassicCanary}), in namespace {@code shop}.
 */
public final class ClassicCanary {

  /** The images of checkout's revisions, as the examples and the stories number them. */
  public static final String V1 = "registry.example/checkout:2.4.1";

  public static final String V2 = "registry.example/checkout:2.5.0";
  public static final String V3 = "registry.example/checkout:2.6.0";

  private ClassicCanary() {}

  /**
   * Given the example's namespace, Services and VirtualService, and v1 of the rollout (changed by
   * {@code adjust}) stable and healthy; the kubelet stand-in and Weir are to be running already.
   */
  public static RolloutScenario givenStableV1(KubernetesClient client, Consumer<Rollout> adjust) {
    Manifests.apply(client, "examples/canary-istio/namespace.yaml");
    Manifests.apply(client, "examples/canary-istio/services.yaml");
    // A story may have applied the VirtualService its own way (server-side, as a GitOps tool).
    if (client.resources(VirtualService.class).inNamespace("shop").withName("checkout").get()
        == null) {
      Manifests.apply(client, "examples/canary-istio/virtualservice.yaml");
    }
    var rollout = Manifests.compressedClassicCanary();
    adjust.accept(rollout);
    client.resource(rollout).create();
    var checkout = new RolloutScenario(client, "shop", "checkout");
    awaitRollout(checkout, "v1 healthy", r -> r.isHealthy());
    return checkout;
  }

  /**
   * When v2 is applied (as a GitOps sync would), it stops at the manual pause, step 2, with 10 % of
   * the traffic; returns v2's pod-template hash.
   */
  public static String whenV2PausesAtTenPercent(RolloutScenario checkout) {
    checkout.setImage(V2);
    String v2 =
        awaitRollout(checkout, "v2 paused at the manual pause", r -> r.isPausedAtStep(2))
            .currentPodHash;
    assertThatRollout(checkout).withCanaryWeight(10);
    return v2;
  }
}
