package dev.weir.rollout;

import dev.weir.testing.RealTier;

/**
 * Slack, Teams, Google Chat, PagerDuty and commit statuses, on the real control plane, with Weir
 * under exactly the chart's ClusterRole.
 */
class NotificationDestinationRealTierTest extends NotificationDestinationScenarios {

  NotificationDestinationRealTierTest() {
    super(new RealTier());
  }
}
