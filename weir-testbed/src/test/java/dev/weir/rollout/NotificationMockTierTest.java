package dev.weir.rollout;

import dev.weir.testing.MockTier;

/** Notifications to real HTTP receivers, on the fabric8 mock API server. */
class NotificationMockTierTest extends NotificationScenarios {

  NotificationMockTierTest() {
    super(new MockTier());
  }
}
