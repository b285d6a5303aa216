package dev.weir.rollout;

import dev.weir.api.v1alpha1.Rollout;
import dev.weir.api.v1alpha1.WorkloadRef;
import dev.weir.api.v1alpha1.WorkloadScaleDown;
import dev.weir.testing.RolloutScenario;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.awaitility.Awaitility;

/**
 * The Deployment "checkout" a Rollout takes over (spec.workloadRef) in the workloadRef stories of
 * both tiers: made from an example rollout's template, changed as a user's edit changes it, and
 * followed as Weir scales it.
 */
record TakenOverDeployment(KubernetesClient client, Deployment deployment) {

  /** The Deployment of {@code pods} with the example's selector and template, created. */
  static TakenOverDeployment create(
      KubernetesClient client, String namespace, Rollout example, int pods) {
    var deployment =
        new DeploymentBuilder()
            .withNewMetadata()
            .withName("checkout")
            .withNamespace(namespace)
            .endMetadata()
            .withNewSpec()
            .withReplicas(pods)
            .withSelector(example.getSpec().selector)
            .withTemplate(example.getSpec().template)
            .endSpec()
            .build();
    return new TakenOverDeployment(client, client.resource(deployment).create());
  }

  /** The example rollout naming the Deployment instead of holding a template. */
  static Rollout rolloutTakingOver(Rollout example, WorkloadScaleDown scaleDown) {
    example.getSpec().template = null;
    example.getSpec().workloadRef = new WorkloadRef();
    example.getSpec().workloadRef.apiVersion = "apps/v1";
    example.getSpec().workloadRef.kind = "Deployment";
    example.getSpec().workloadRef.name = "checkout";
    example.getSpec().workloadRef.scaleDown = scaleDown;
    return example;
  }

  /** The Deployment as it is now. */
  Deployment now() {
    return client.resource(deployment).get();
  }

  /** Changes the image of the Deployment's container, as a user's edit does. */
  void setImage(String image) {
    client
        .apps()
        .deployments()
        .inNamespace(deployment.getMetadata().getNamespace())
        .withName(deployment.getMetadata().getName())
        .edit(
            d -> {
              d.getSpec().getTemplate().getSpec().getContainers().get(0).setImage(image);
              return d;
            });
  }

  void awaitReplicas(int replicas) {
    Awaitility.await("the Deployment scaled to " + replicas)
        .atMost(RolloutScenario.PATIENCE)
        .until(() -> now().getSpec().getReplicas() == replicas);
  }
}
