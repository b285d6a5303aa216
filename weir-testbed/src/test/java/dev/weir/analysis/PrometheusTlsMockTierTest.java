package dev.weir.analysis;

import dev.weir.testing.MockTier;
import io.fabric8.kubernetes.client.KubernetesClient;

/** Prometheus behind mutual TLS, the runs on the fabric8 mock API server. */
class PrometheusTlsMockTierTest extends PrometheusTlsScenarios {

  PrometheusTlsMockTierTest() {
    super(new MockTier());
  }

  @Override
  KubernetesClient weirIdentity() {
    return tier.client();
  }
}
