package dev.weir.rollout;

import dev.weir.testing.MockTier;

/** The canary stories on the fabric8 mock API server (CRUD mode): the fast tier. */
class CanaryMockTierTest extends CanaryScenarios {

  CanaryMockTierTest() {
    super(new MockTier());
  }
}
