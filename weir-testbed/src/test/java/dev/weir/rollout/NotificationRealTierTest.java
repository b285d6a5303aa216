package dev.weir.rollout;

import dev.weir.testing.RealTier;

/**
 * Notifications to real HTTP receivers, on the real control plane, with Weir under exactly the
 * chart's ClusterRole: the policies, Secrets and ledgers it reads and writes need its rules.
 */
class NotificationRealTierTest extends NotificationScenarios {

  NotificationRealTierTest() {
    super(new RealTier());
  }
}
