package dev.weir.rollout;

import dev.weir.testing.Kubelet;
import dev.weir.testing.PodKubelet;
import dev.weir.testing.RealControlPlane;
import dev.weir.testing.RunningWeir;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

/**
 * The canary stories on a real kube-apiserver, etcd and kube-controller-manager: CRD schemas and
 * pruning, the status subresource, resourceVersion conflicts, the real ReplicaSet controller
 * creating pods that {@link PodKubelet} runs, and Weir under the identity and ClusterRole the Helm
 * chart gives it, not as cluster-admin. The scenario itself acts as cluster-admin.
 */
class CanaryRealTierTest extends CanaryScenarios {

  static RealControlPlane cluster;

  @BeforeAll
  static void controlPlane() {
    cluster = RealControlPlane.shared();
  }

  /** Each story starts from an empty `shop`, whatever the previous one (or test class) left. */
  @BeforeEach
  void emptyShop() {
    cluster.clean("shop");
  }

  @Override
  KubernetesClient client() {
    return cluster.admin();
  }

  @Override
  Kubelet kubelet(KubernetesClient client) {
    return new PodKubelet(client);
  }

  @Override
  RunningWeir startWeir() {
    return RunningWeir.start(cluster.operator());
  }
}
