package dev.weir.rollout;

import dev.weir.testing.MockTier;

/** Where Secrets may come from and go to, on the fabric8 mock API server. */
class SecretMockTierTest extends SecretScenarios {

  SecretMockTierTest() {
    super(new MockTier());
  }

  /** The mock server keeps no record of who asked for what: the real tier checks it. */
  @Override
  void assertWeirNeverAskedFor(String secret) {}
}
