package dev.weir.rollout;

import dev.weir.testing.RealTier;

/**
 * The write-back stories on the real control plane, the real Prometheus and a real git server: the
 * write-back's status through the real CRD schema, the Secret read by the opted-in informer under
 * the chart's ClusterRole, the revert applied by server-side apply as a sync would.
 */
class GitWriteBackRealTierTest extends GitWriteBackScenarios {

  GitWriteBackRealTierTest() {
    super(new RealTier());
  }
}
