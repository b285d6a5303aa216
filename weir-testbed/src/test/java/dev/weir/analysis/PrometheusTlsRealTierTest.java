package dev.weir.analysis;

import dev.weir.testing.RealTier;
import io.fabric8.kubernetes.client.KubernetesClient;

/**
 * Prometheus behind mutual TLS, the runs on the real control plane with Weir under the chart's
 * ClusterRole.
 */
class PrometheusTlsRealTierTest extends PrometheusTlsScenarios {

  PrometheusTlsRealTierTest() {
    super(new RealTier());
  }

  @Override
  KubernetesClient weirIdentity() {
    return ((RealTier) tier).cluster().operator();
  }
}
