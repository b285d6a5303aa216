package dev.weir.rollout;

import dev.weir.testing.RealTier;

/**
 * The configuration stories on the real API server: immutable ConfigMaps, owner references and the
 * garbage collector are the real ones.
 */
class ConfigSnapshotRealTierTest extends ConfigSnapshotScenarios {

  ConfigSnapshotRealTierTest() {
    super(new RealTier());
  }
}
