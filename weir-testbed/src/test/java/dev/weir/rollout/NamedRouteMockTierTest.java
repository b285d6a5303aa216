package dev.weir.rollout;

import dev.weir.testing.MockTier;

/** The header and mirror route stories on the fabric8 mock API server (CRUD mode). */
class NamedRouteMockTierTest extends NamedRouteScenarios {

  NamedRouteMockTierTest() {
    super(new MockTier());
  }
}
