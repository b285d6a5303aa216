package dev.weir.rollout;

import static dev.weir.testing.ClassicCanary.V2;
import static dev.weir.testing.RolloutAssert.assertThatRollout;
import static dev.weir.testing.RolloutAssert.awaitRollout;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.weir.api.v1alpha1.Rollout;
import dev.weir.testing.ClassicCanary;
import dev.weir.testing.KubectlWeir;
import dev.weir.testing.Manifests;
import dev.weir.testing.RealTier;
import dev.weir.testing.ReplicaWatch;
import dev.weir.testing.ResourceMetricsServer;
import dev.weir.testing.RolloutScenario;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * Autoscaled releases on the real control plane: {@code kubectl scale} through the Rollout's scale
 * subresource, and the real kube-controller-manager's HorizontalPodAutoscaler (autoscaling/v2beta2,
 * what 1.20 serves) scaling the Rollout up and down in the middle of a canary, from the pod CPU
 * {@link ResourceMetricsServer} reports through the aggregation layer. At every step the stories
 * check the replicas of both sides, and that no side ever asks for more than the autoscaler's
 * maximum (without a mesh: that both together never ask for more than the maximum plus maxSurge),
 * including between two looks ({@link ReplicaWatch}).
 */
class AutoscalingRealTierTest extends ReleaseStories {

  /** The example's HorizontalPodAutoscaler: 2 to 6 pods, at 50 % of the 100m CPU requested. */
  private static final int MIN = 2;

  private static final int MAX = 6;

  /** CPU a pod uses, in millicores, for the autoscaler to go to its maximum or its minimum. */
  private static final int BUSY = 100;

  private static final int IDLE = 5;

  AutoscalingRealTierTest() {
    super(new RealTier());
  }

  private RealTier realTier() {
    return (RealTier) tier;
  }

  @Test
  void kubectlScaleResizesTheRolloutAndBothSidesOfARelease() {
    startKubeletAndWeir(Optional.empty(), 0);
    checkout = ClassicCanary.givenStableV1(client(), r -> {});
    String v1 = checkout.status().stableRS;
    var kubectl = KubectlWeir.withoutPlugin(realTier().cluster().dir().resolve("admin.kubeconfig"));

    var scaled = kubectl.kubectl("scale", "rollout/checkout", "--replicas=7", "-n", "shop");

    assertThat(scaled.exitCode()).as(scaled.both()).isZero();
    assertThat(scaled.out()).isEqualTo("rollout.weir.dev/checkout scaled\n");
    awaitRollout(checkout, "v1 at 7 pods", r -> r.isHealthyOn(v1).hasReplicas(v1, 7));
    checkout.awaitStatus("7 pods counted", s -> Integer.valueOf(7).equals(s.replicas));
    var scale =
        kubectl.kubectl(
            "get", "--raw", "/apis/weir.dev/v1alpha1/namespaces/shop/rollouts/checkout/scale");
    assertThat(scale.exitCode()).as(scale.both()).isZero();
    JsonNode subresource = Serialization.unmarshal(scale.out(), JsonNode.class);
    assertThat(subresource.at("/spec/replicas").asInt()).isEqualTo(7);
    assertThat(subresource.at("/status/replicas").asInt()).isEqualTo(7);
    assertThat(subresource.at("/status/selector").asText()).isEqualTo("app=checkout");

    String v2 = ClassicCanary.whenV2PausesAtTenPercent(checkout);
    var mid = kubectl.kubectl("scale", "rollout/checkout", "--replicas=20", "-n", "shop");

    assertThat(mid.exitCode()).as(mid.both()).isZero();
    awaitRollout(
        checkout,
        "both sides resized, the release still at its manual pause",
        r -> r.isPausedAtStep(2).withCanaryWeight(10).hasReplicas(v1, 20).hasReplicas(v2, 2));
    assertThatRollout(checkout).recordedOnce("WeightSet");
  }

  @Test
  void anAutoscalerScalesAMeshCanaryUpAndDownWithinItsBounds() {
    var metrics = givenAutoscaledV1(rollout -> {});
    String v1 = checkout.status().stableRS;
    var watch = ReplicaWatch.of(client(), namespace, "checkout");
    closeables.add(watch);

    checkout.setImage(V2);
    String v2 =
        awaitRollout(checkout, "v2 at 10 %", r -> r.isPausedAtStep(2).withCanaryWeight(10))
            .currentPodHash;
    // dynamicStableScale: stable keeps ceil(replicas * (100 - weight) / 100) pods.
    atStep(2, v1, 2, v2, 1);

    whenPodsUse(metrics, BUSY, MAX);
    atStep(2, v1, 6, v2, 1);

    promoteTo(4, 30);
    atStep(4, v1, 5, v2, 2);

    whenPodsUse(metrics, IDLE, MIN);
    atStep(4, v1, 2, v2, 1);

    promoteTo(6, 60);
    atStep(6, v1, 1, v2, 2);

    whenPodsUse(metrics, BUSY, MAX);
    atStep(6, v1, 3, v2, 4);

    checkout.promote();
    awaitRollout(checkout, "v2 promoted at the autoscaler's count", r -> r.isHealthyOn(v2));
    awaitRollout(checkout, "v1 scaled down", r -> r.hasReplicas(v2, MAX).hasReplicas(v1, 0));

    assertThat(watch.mostOf(v1)).as("stable, %s", watch.snapshots()).isLessThanOrEqualTo(MAX);
    assertThat(watch.mostOf(v2)).as("canary, %s", watch.snapshots()).isLessThanOrEqualTo(MAX);
  }

  @Test
  void withoutAMeshBothSidesTogetherStayWithinTheMaximumPlusMaxSurge() {
    var metrics =
        givenAutoscaledV1(
            rollout -> {
              var canary = rollout.getSpec().strategy.canary;
              canary.trafficRouting = null;
              canary.stableService = null;
              canary.canaryService = null;
              canary.dynamicStableScale = null;
              canary.maxSurge = new IntOrString(1);
              canary.maxUnavailable = new IntOrString(0);
              canary.steps = List.of(canary.steps.get(0), canary.steps.get(1));
              canary.steps.get(0).setWeight = 50;
            });
    String v1 = checkout.status().stableRS;
    var watch = ReplicaWatch.of(client(), namespace, "checkout");
    closeables.add(watch);

    checkout.setImage(V2);
    String v2 =
        awaitRollout(checkout, "v2 at 50 % of the pods", r -> r.isPausedAtStep(2)).currentPodHash;
    atStep(2, v1, 1, v2, 1);

    whenPodsUse(metrics, BUSY, MAX);
    atStep(2, v1, 3, v2, 3);

    whenPodsUse(metrics, IDLE, MIN);
    atStep(2, v1, 1, v2, 1);

    whenPodsUse(metrics, BUSY, MAX);
    checkout.promote();
    awaitRollout(checkout, "v2 promoted", r -> r.isHealthyOn(v2));
    awaitRollout(checkout, "v1 scaled down", r -> r.hasReplicas(v2, MAX).hasReplicas(v1, 0));

    assertThat(watch.mostInTotal())
        .as("both sides, maxSurge 1: %s", watch.snapshots())
        .isLessThanOrEqualTo(MAX + 1);
  }

  /**
   * Given the metrics API served, checkout v1 of examples/canary-autoscaled (changed by {@code
   * adjust}; its pauses all wait for promote, its scale-down delays a second) stable at 2 pods, and
   * the example's autoscaler, as autoscaling/v2beta2 and without its scale-down stabilization,
   * settled at its minimum with idle pods.
   */
  private ResourceMetricsServer givenAutoscaledV1(Consumer<Rollout> adjust) {
    startKubeletAndWeir(Optional.empty(), 0);
    var metrics = ResourceMetricsServer.register(realTier().cluster());
    closeables.add(metrics);
    metrics.cpu(pod -> IDLE);
    Manifests.apply(client(), "examples/canary-istio/namespace.yaml");
    Manifests.apply(client(), "examples/canary-istio/services.yaml");
    Manifests.apply(client(), "examples/canary-istio/virtualservice.yaml");
    var rollout = Manifests.load("examples/canary-autoscaled/rollout.yaml", Rollout.class);
    var canary = rollout.getSpec().strategy.canary;
    canary.steps.stream().filter(s -> s.pause != null).forEach(s -> s.pause.duration = null);
    canary.scaleDownDelaySeconds = Manifests.COMPRESSED_DELAY_SECONDS;
    canary.abortScaleDownDelaySeconds = Manifests.COMPRESSED_DELAY_SECONDS;
    adjust.accept(rollout);
    client().resource(rollout).create();
    checkout = new RolloutScenario(client(), namespace, "checkout");
    awaitRollout(checkout, "v1 healthy", r -> r.isHealthy());

    var hpa =
        Manifests.load("examples/canary-autoscaled/hpa.yaml", GenericKubernetesResource.class);
    hpa.setApiVersion("autoscaling/v2beta2");
    @SuppressWarnings("unchecked")
    var spec = (Map<String, Object>) hpa.getAdditionalProperties().get("spec");
    spec.put(
        "behavior",
        Map.of(
            "scaleUp", Map.of("stabilizationWindowSeconds", 0),
            "scaleDown", Map.of("stabilizationWindowSeconds", 0)));
    client().resource(hpa).create();
    awaitReplicas(MIN);
    return metrics;
  }

  /**
   * When every pod uses {@code millicores} of CPU, the autoscaler sets spec.replicas to {@code
   * count}.
   */
  private void whenPodsUse(ResourceMetricsServer metrics, int millicores, int count) {
    metrics.cpu(pod -> millicores);
    awaitReplicas(count);
  }

  /** A promote ends the manual pause; the release stops at the next one, at the weight. */
  private void promoteTo(int step, int weight) {
    checkout.promote();
    awaitRollout(
        checkout, "v2 at " + weight + " %", r -> r.isPausedAtStep(step).withCanaryWeight(weight));
  }

  /** The autoscaler has set spec.replicas to {@code count}. */
  private void awaitReplicas(int count) {
    awaitRollout(
        checkout,
        "spec.replicas " + count + ", set by the autoscaler",
        r ->
            assertThat(checkout.rollout().getSpec().replicas).as("spec.replicas").isEqualTo(count));
  }

  /** Paused at the step (counted from 1), each side with its replicas. */
  private void atStep(int step, String stable, int stablePods, String canary, int canaryPods) {
    awaitRollout(
        checkout,
        "at step " + step + ": stable " + stablePods + ", canary " + canaryPods,
        r ->
            r.isPausedAtStep(step).hasReplicas(stable, stablePods).hasReplicas(canary, canaryPods));
  }
}
