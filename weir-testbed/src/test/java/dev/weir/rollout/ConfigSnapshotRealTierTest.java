package dev.weir.rollout;

import dev.weir.testing.RealTier;

/**
 * The configuration stories on the real API server: immutable ConfigMaps and Secrets, owner
 * references and the garbage collector are the real ones, and the audit log shows that Weir asked
 * only for the Secrets that opted in.
 */
class ConfigSnapshotRealTierTest extends ConfigSnapshotScenarios {

  ConfigSnapshotRealTierTest() {
    super(new RealTier());
  }

  @Override
  void assertWeirNeverAskedFor(String secret) {
    SecretAudit.assertWeirNeverAskedFor(((RealTier) tier).cluster(), secret);
  }
}
