package dev.weir.notify;

import dev.weir.api.v1alpha1.NotificationDestination;
import dev.weir.api.v1alpha1.NotificationTrigger;

/**
 * Every kind of destination, behind one door: which triggers each tells, and the request each makes
 * of a notice. Each kind is a small class that lays the notice out as its service expects; delivery
 * (the ledger, retries, metrics, Events) is the {@link Notifier}'s, the same for all.
 */
final class NoticeDestinations {

  private NoticeDestinations() {}

  /**
   * Whether a destination has anything to say about a trigger: PagerDuty only pages and resolves, a
   * commit status has no state for every event. What it would not say is never recorded.
   */
  static boolean tells(NotificationDestination d, NotificationTrigger trigger) {
    if (d.pagerDuty != null) {
      return PagerDutyEvent.tells(trigger);
    }
    if (d.commitStatus != null) {
      return CommitStatus.tells(d.commitStatus, trigger);
    }
    return true;
  }

  /**
   * The request that tells a notice to the destination at {@code index} of its policy.
   *
   * @param dashboardUrl the policy's link to the measurements, a template; may be null
   */
  static NoticeRequest build(
      int index, NotificationDestination d, String dashboardUrl, Notice notice, Credentials c) {
    String field = "spec.destinations[" + index + "]";
    if (d.webhook != null) {
      return WebhookRequest.build(field + ".webhook", d.webhook, notice, c);
    }
    var text = NoticeText.of(notice, dashboardUrl);
    if (d.slack != null) {
      return SlackMessage.build(field + ".slack", d.slack, notice, text, c);
    }
    if (d.teams != null) {
      return TeamsMessage.build(field + ".teams", d.teams, notice, text, c);
    }
    if (d.googleChat != null) {
      return GoogleChatMessage.build(field + ".googleChat", d.googleChat, notice, text, c);
    }
    if (d.pagerDuty != null) {
      return PagerDutyEvent.build(field + ".pagerDuty", d.pagerDuty, notice, text, c);
    }
    return CommitStatus.build(field + ".commitStatus", d.commitStatus, notice, text, c);
  }
}
