package dev.weir.rollout;

import dev.weir.testing.MockTier;

/** Slack, Teams, Google Chat, PagerDuty and commit statuses, on the fabric8 mock API server. */
class NotificationDestinationMockTierTest extends NotificationDestinationScenarios {

  NotificationDestinationMockTierTest() {
    super(new MockTier());
  }
}
