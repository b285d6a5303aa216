package dev.weir.rollout;

import dev.weir.testing.Kubelet;
import dev.weir.testing.Manifests;
import dev.weir.testing.ReplicaSetKubelet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import org.junit.jupiter.api.BeforeEach;

/** The blue-green stories on the fabric8 mock API server, against the real Prometheus. */
@EnableKubernetesMockClient(crud = true)
class BlueGreenMockTierTest extends BlueGreenScenarios {

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
    Manifests.applyWeirCrds(client);
    Manifests.apply(client, "src/test/resources/crds/istio-networking.yaml");
  }
}
