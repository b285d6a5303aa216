package dev.weir.rollout;

import static dev.weir.testing.ClassicCanary.V2;
import static dev.weir.testing.RolloutAssert.awaitRollout;
import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.api.v1alpha1.WorkloadRef;
import dev.weir.api.v1alpha1.WorkloadScaleDown;
import dev.weir.testing.Manifests;
import dev.weir.testing.RealTier;
import dev.weir.testing.RolloutScenario;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * An existing Deployment taken over on the real control plane: the real kube-controller-manager
 * runs the Deployment and ReplicaSet controllers, PodKubelet makes the pods ready. The Rollout
 * names the Deployment (spec.workloadRef, scaleDown progressively) and never holds a template.
 */
class WorkloadRefRealTierTest extends ReleaseStories {

  private static final int PODS = 3;

  WorkloadRefRealTierTest() {
    super(new RealTier());
  }

  @Test
  void aDeploymentOfThreeBecomesARolloutWithoutAMomentBelowThreeAvailableThenReleasesV2() {
    startKubeletAndWeir(Optional.empty(), 0);
    Manifests.apply(client(), "examples/canary-istio/namespace.yaml");
    Manifests.apply(client(), "examples/canary-istio/services.yaml");
    Manifests.apply(client(), "examples/canary-istio/virtualservice.yaml");
    var rollout = Manifests.compressedClassicCanary();
    var deployment =
        new DeploymentBuilder()
            .withNewMetadata()
            .withName("checkout")
            .withNamespace("shop")
            .endMetadata()
            .withNewSpec()
            .withReplicas(PODS)
            .withSelector(rollout.getSpec().selector)
            .withTemplate(rollout.getSpec().template)
            .endSpec()
            .build();
    client().resource(deployment).create();
    Awaitility.await("the Deployment's 3 pods available")
        .atMost(RolloutScenario.PATIENCE)
        .until(() -> available(client().resource(deployment).get()) == PODS);
    var fewest = new AtomicInteger(Integer.MAX_VALUE);
    closeables.add(watchAvailable(fewest));

    rollout.getSpec().template = null;
    rollout.getSpec().replicas = PODS;
    rollout.getSpec().workloadRef = new WorkloadRef();
    rollout.getSpec().workloadRef.apiVersion = "apps/v1";
    rollout.getSpec().workloadRef.kind = "Deployment";
    rollout.getSpec().workloadRef.name = "checkout";
    rollout.getSpec().workloadRef.scaleDown = WorkloadScaleDown.progressively;
    client().resource(rollout).create();
    checkout = new RolloutScenario(client(), "shop", "checkout");

    String v1 = awaitRollout(checkout, "v1 healthy", r -> r.isHealthy()).stableRS;
    awaitRollout(checkout, "the rollout's 3 pods", r -> r.hasReplicas(v1, PODS));
    Awaitility.await("the Deployment scaled to 0")
        .atMost(RolloutScenario.PATIENCE)
        .until(() -> client().resource(deployment).get().getSpec().getReplicas() == 0);
    assertThat(fewest.get())
        .as("the fewest available pods of the service")
        .isGreaterThanOrEqualTo(PODS);

    client()
        .apps()
        .deployments()
        .inNamespace("shop")
        .withName("checkout")
        .edit(
            d -> {
              d.getSpec().getTemplate().getSpec().getContainers().get(0).setImage(V2);
              return d;
            });

    var released =
        awaitRollout(checkout, "v2 at 10 %", r -> r.isPausedAtStep(2).withCanaryWeight(10));
    assertThat(released.currentPodHash).isNotEqualTo(v1);
    assertThat(client().resource(deployment).get().getSpec().getReplicas())
        .as("the Deployment stays at 0")
        .isZero();
  }

  private static int available(Deployment deployment) {
    var status = deployment == null ? null : deployment.getStatus();
    return status == null || status.getAvailableReplicas() == null
        ? 0
        : status.getAvailableReplicas();
  }

  /** Records the fewest ready pods of the service, not terminating, at every pod event. */
  private AutoCloseable watchAvailable(AtomicInteger fewest) {
    SharedIndexInformer<Pod>[] informer = new SharedIndexInformer[1];
    Runnable count =
        () -> {
          if (informer[0] == null) {
            return;
          }
          int ready =
              (int)
                  informer[0].getStore().list().stream()
                      .filter(p -> p.getMetadata().getDeletionTimestamp() == null)
                      .filter(WorkloadRefRealTierTest::ready)
                      .count();
          fewest.accumulateAndGet(ready, Math::min);
        };
    informer[0] =
        client()
            .pods()
            .inNamespace("shop")
            .withLabel("app", "checkout")
            .inform(
                new ResourceEventHandler<>() {
                  @Override
                  public void onAdd(Pod pod) {
                    count.run();
                  }

                  @Override
                  public void onUpdate(Pod before, Pod after) {
                    count.run();
                  }

                  @Override
                  public void onDelete(Pod pod, boolean unknown) {
                    count.run();
                  }
                },
                Duration.ofSeconds(30).toMillis());
    count.run();
    return informer[0]::close;
  }

  private static boolean ready(Pod pod) {
    return pod.getStatus() != null
        && pod.getStatus().getConditions() != null
        && pod.getStatus().getConditions().stream()
            .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
  }
}
