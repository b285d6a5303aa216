package dev.weir.rollout;

import dev.weir.testing.MockTier;

/** The blue-green stories on the fabric8 mock API server, against the real Prometheus. */
class BlueGreenMockTierTest extends BlueGreenScenarios {

  BlueGreenMockTierTest() {
    super(new MockTier());
  }
}
