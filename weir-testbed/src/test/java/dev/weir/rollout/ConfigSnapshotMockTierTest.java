package dev.weir.rollout;

import dev.weir.testing.MockTier;

/** The configuration stories on the fabric8 mock API server (CRUD mode): the fast tier. */
class ConfigSnapshotMockTierTest extends ConfigSnapshotScenarios {

  ConfigSnapshotMockTierTest() {
    super(new MockTier());
  }
}
