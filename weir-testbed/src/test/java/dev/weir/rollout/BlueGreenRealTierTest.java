package dev.weir.rollout;

import dev.weir.testing.RealTier;

/**
 * The blue-green stories on the real control plane, against the real Prometheus, with Weir under
 * the chart's ClusterRole (its pods are listed and patched, never read one by one).
 */
class BlueGreenRealTierTest extends BlueGreenScenarios {

  BlueGreenRealTierTest() {
    super(new RealTier());
  }
}
