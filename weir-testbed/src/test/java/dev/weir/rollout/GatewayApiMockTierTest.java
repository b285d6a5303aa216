package dev.weir.rollout;

import dev.weir.testing.MockTier;

/** The Gateway API stories on the fabric8 mock API server (CRUD mode): the fast tier. */
class GatewayApiMockTierTest extends GatewayApiScenarios {

  GatewayApiMockTierTest() {
    super(new MockTier());
  }
}
