package dev.weir.rollout;

import static dev.weir.testing.ClassicCanary.V2;
import static dev.weir.testing.RolloutAssert.awaitRollout;
import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.api.v1alpha1.Rollout;
import dev.weir.api.v1alpha1.WorkloadScaleDown;
import dev.weir.testing.Manifests;
import dev.weir.testing.RealTier;
import dev.weir.testing.ReplicaWatch;
import dev.weir.testing.ResourceMetricsServer;
import dev.weir.testing.RolloutScenario;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2beta2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.autoscaling.v2beta2.HorizontalPodAutoscalerList;
import io.fabric8.kubernetes.client.dsl.NonNamespaceOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * An existing Deployment under a HorizontalPodAutoscaler taken over on the real control plane: the
 * real kube-controller-manager runs the Deployment, ReplicaSet and HorizontalPodAutoscaler
 * controllers (pod CPU from {@link ResourceMetricsServer}), PodKubelet makes the pods ready. The
 * Rollout names the Deployment (spec.workloadRef) and never holds a template; the autoscaler is
 * pointed at the Rollout as docs/migration.md says. The service's available pods are counted at
 * every change of any of its ReplicaSets, the Deployment's and the Rollout's ({@link
 * ReplicaWatch#serving}).
 */
class WorkloadRefRealTierTest extends ReleaseStories {

  /** The autoscaler's minimum, and the Deployment's pods: idle pods keep it there. */
  private static final int PODS = 5;

  private static final int MAX = 8;

  private static final int IDLE_MILLICORES = 5;

  WorkloadRefRealTierTest() {
    super(new RealTier());
  }

  private RealTier realTier() {
    return (RealTier) tier;
  }

  @Test
  void aDeploymentOfFiveUnderAnAutoscalerBecomesARolloutWithoutAMomentBelowFiveThenReleasesV2() {
    var deployment = givenAutoscaledDeployment();
    var service = ReplicaWatch.serving(client(), namespace, Map.of("app", "checkout"));
    closeables.add(service);

    String v1 = whenTakenOverWithTheAutoscaler(deployment);
    assertThat(service.fewestAvailable())
        .as(
            "the fewest available pods of the service while it was taken over: %s",
            service.availableTotals())
        .isGreaterThanOrEqualTo(PODS);

    deployment.setImage(V2);
    String v2 =
        awaitRollout(checkout, "v2 at 10 %", r -> r.isPausedAtStep(2).withCanaryWeight(10))
            .currentPodHash;
    assertThat(v2).isNotEqualTo(v1);
    checkout.promote();
    awaitRollout(checkout, "v2 promoted", r -> r.isHealthyOn(v2));
    awaitRollout(checkout, "v1 scaled down", r -> r.hasReplicas(v2, PODS).hasReplicas(v1, 0));

    assertThat(deployment.now().getSpec().getReplicas()).as("the Deployment stays at 0").isZero();
    assertThat(checkout.rollout().getSpec().replicas)
        .as("spec.replicas, the autoscaler's")
        .isEqualTo(PODS);
    assertThat(service.fewestAvailable())
        .as(
            "the fewest available pods of the service until v2 was released: %s",
            service.availableTotals())
        .isGreaterThanOrEqualTo(PODS);
  }

  @Test
  void deletingTheRolloutHandsTheServiceBackToTheDeploymentWithoutAMomentBelowFive() {
    var deployment = givenAutoscaledDeployment();
    whenTakenOverWithTheAutoscaler(deployment);
    var service = ReplicaWatch.serving(client(), namespace, Map.of("app", "checkout"));
    closeables.add(service);

    client().resource(checkout.rollout()).delete();

    Awaitility.await("the rollout and its ReplicaSets gone")
        .atMost(RolloutScenario.PATIENCE)
        .until(() -> checkout.rollout() == null && checkout.replicaSets().isEmpty());
    var handedBack = deployment.now();
    assertThat(handedBack.getSpec().getReplicas()).as("the Deployment's replicas").isEqualTo(PODS);
    assertThat(available(handedBack)).as("the Deployment's available pods").isEqualTo(PODS);
    for (String name : List.of("checkout-stable", "checkout-canary")) {
      assertThat(client().services().inNamespace(namespace).withName(name).get().getSpec())
          .as("Service %s selects the Deployment's pods", name)
          .extracting(spec -> spec.getSelector())
          .isEqualTo(Map.of("app", "checkout"));
    }
    assertThat(service.fewestAvailable())
        .as(
            "the fewest available pods of the service while it was handed back: %s",
            service.availableTotals())
        .isGreaterThanOrEqualTo(PODS);
  }

  /**
   * Given the metrics API served with idle pods, the Services and VirtualService of
   * examples/canary-istio, a Deployment of 5 with the template of examples/canary-autoscaled, all
   * available, and the example's autoscaler (autoscaling/v2beta2, 5 to 8 pods, no stabilization
   * window) scaling the Deployment and settled at its minimum.
   */
  private TakenOverDeployment givenAutoscaledDeployment() {
    startKubeletAndWeir(Optional.empty(), 0);
    var metrics = ResourceMetricsServer.register(realTier().cluster());
    closeables.add(metrics);
    metrics.cpu(pod -> IDLE_MILLICORES);
    Manifests.apply(client(), "examples/canary-istio/namespace.yaml");
    Manifests.apply(client(), "examples/canary-istio/services.yaml");
    Manifests.apply(client(), "examples/canary-istio/virtualservice.yaml");
    var deployment =
        TakenOverDeployment.create(
            client(),
            namespace,
            Manifests.load("examples/canary-autoscaled/rollout.yaml", Rollout.class),
            PODS);

    var hpa =
        Manifests.load("examples/canary-autoscaled/hpa.yaml", GenericKubernetesResource.class);
    hpa.setApiVersion("autoscaling/v2beta2");
    @SuppressWarnings("unchecked")
    var spec = (Map<String, Object>) hpa.getAdditionalProperties().get("spec");
    spec.put("scaleTargetRef", target("apps/v1", "Deployment"));
    spec.put("minReplicas", PODS);
    spec.put("maxReplicas", MAX);
    spec.put(
        "behavior",
        Map.of(
            "scaleUp", Map.of("stabilizationWindowSeconds", 0),
            "scaleDown", Map.of("stabilizationWindowSeconds", 0)));
    client().resource(hpa).create();
    Awaitility.await("the Deployment's 5 pods available, the autoscaler at its minimum")
        .atMost(RolloutScenario.PATIENCE)
        .until(
            () ->
                available(deployment.now()) == PODS
                    && Integer.valueOf(PODS).equals(autoscalerCurrentReplicas()));
    return deployment;
  }

  /**
   * When the autoscaler is pointed at the Rollout and the Rollout (scaleDown progressively) is
   * applied, v1 is healthy on the rollout's 5 pods and the Deployment at 0; returns v1's hash.
   */
  private String whenTakenOverWithTheAutoscaler(TakenOverDeployment deployment) {
    retargetAutoscaler("weir.dev/v1alpha1", "Rollout");
    client().resource(rolloutTakingOver(WorkloadScaleDown.progressively)).create();
    checkout = new RolloutScenario(client(), namespace, "checkout");
    String v1 = awaitRollout(checkout, "v1 healthy", r -> r.isHealthy()).stableRS;
    awaitRollout(checkout, "the rollout's 5 pods", r -> r.hasReplicas(v1, PODS));
    deployment.awaitReplicas(0);
    return v1;
  }

  /** The Rollout of examples/canary-autoscaled naming the Deployment instead of a template. */
  private Rollout rolloutTakingOver(WorkloadScaleDown scaleDown) {
    var rollout = Manifests.load("examples/canary-autoscaled/rollout.yaml", Rollout.class);
    var canary = rollout.getSpec().strategy.canary;
    canary.steps.stream()
        .filter(s -> s.pause != null && s.pause.duration != null)
        .forEach(s -> s.pause.duration = new IntOrString("1s"));
    canary.scaleDownDelaySeconds = Manifests.COMPRESSED_DELAY_SECONDS;
    canary.abortScaleDownDelaySeconds = Manifests.COMPRESSED_DELAY_SECONDS;
    rollout.getSpec().replicas = PODS;
    return TakenOverDeployment.rolloutTakingOver(rollout, scaleDown);
  }

  /** Points the autoscaler's scaleTargetRef at checkout of another kind, as a user's edit does. */
  private void retargetAutoscaler(String apiVersion, String kind) {
    autoscalers()
        .withName("checkout")
        .edit(
            hpa -> {
              hpa.getSpec().getScaleTargetRef().setApiVersion(apiVersion);
              hpa.getSpec().getScaleTargetRef().setKind(kind);
              return hpa;
            });
  }

  private Integer autoscalerCurrentReplicas() {
    var hpa = autoscalers().withName("checkout").get();
    return hpa == null || hpa.getStatus() == null ? null : hpa.getStatus().getCurrentReplicas();
  }

  private NonNamespaceOperation<
          HorizontalPodAutoscaler, HorizontalPodAutoscalerList, Resource<HorizontalPodAutoscaler>>
      autoscalers() {
    return client().autoscaling().v2beta2().horizontalPodAutoscalers().inNamespace(namespace);
  }

  private static Map<String, Object> target(String apiVersion, String kind) {
    return Map.of("apiVersion", apiVersion, "kind", kind, "name", "checkout");
  }

  private static int available(Deployment deployment) {
    var status = deployment == null ? null : deployment.getStatus();
    return status == null || status.getAvailableReplicas() == null
        ? 0
        : status.getAvailableReplicas();
  }
}
