package dev.weir.rollout;

import dev.weir.testing.Kubelet;
import dev.weir.testing.Manifests;
import dev.weir.testing.ReplicaSetKubelet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import org.junit.jupiter.api.BeforeEach;

/** The canary stories on the fabric8 mock API server (CRUD mode): the fast tier. */
@EnableKubernetesMockClient(crud = true)
class CanaryMockTierTest extends CanaryScenarios {

  KubernetesClient client;

  @Override
  KubernetesClient client() {
    return client;
  }

  @Override
  Kubelet kubelet(KubernetesClient client) {
    return new ReplicaSetKubelet(client);
  }

  @BeforeEach
  void installCrds() {
    Manifests.applyCrds(client);
  }
}
