package dev.weir.rollout;

import dev.weir.testing.MockTier;

/** The aborted-revision stories on the fabric8 mock API server, against the real Prometheus. */
class AbortedRevisionMockTierTest extends AbortedRevisionScenarios {

  AbortedRevisionMockTierTest() {
    super(new MockTier());
  }
}
