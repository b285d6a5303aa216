package dev.weir.rollout;

import dev.weir.testing.RealTier;

/**
 * Where Secrets may come from and go to, on the real control plane, with Weir under the chart's
 * ClusterRole (which may list and watch Secrets): the API server's audit log shows every request
 * Weir made for Secrets, so the story can tell that it asked only for those that opted in.
 */
class SecretRealTierTest extends SecretScenarios {

  SecretRealTierTest() {
    super(new RealTier());
  }

  @Override
  void assertWeirNeverAskedFor(String secret) {
    SecretAudit.assertWeirNeverAskedFor(((RealTier) tier).cluster(), secret);
  }
}
