package dev.weir.rollout;

import dev.weir.testing.PodKubelet;
import dev.weir.testing.RealTier;

/**
 * The canary stories on a real kube-apiserver, etcd and kube-controller-manager: CRD schemas and
 * pruning, the status subresource, resourceVersion conflicts, the real ReplicaSet controller
 * creating pods that {@link PodKubelet} runs, and Weir under the identity and ClusterRole the Helm
 * chart gives it, not as cluster-admin. The scenario itself acts as cluster-admin.
 */
class CanaryRealTierTest extends CanaryScenarios {

  CanaryRealTierTest() {
    super(new RealTier());
  }
}
