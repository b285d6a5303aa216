package dev.weir.rollout;

import dev.weir.testing.MockTier;

/** The baseline stories on the mock API server, with the real Prometheus. */
class BaselineMockTierTest extends BaselineScenarios {

  BaselineMockTierTest() {
    super(new MockTier());
  }
}
