package dev.weir.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;

/** One place notices go: exactly one kind of destination is set. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class NotificationDestination {

  @JsonPropertyDescription(
      "Name of the destination, unique in the policy (lowercase letters, digits and '-'): the"
          + " destination label of weir_notifications_total and the name Events give it.")
  @Required
  @Pattern("^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$")
  public String name;

  @JsonPropertyDescription(
      "A generic webhook: an HTTP POST of a JSON body, optionally signed with HMAC-SHA256.")
  public WebhookDestination webhook;

  @JsonPropertyDescription(
      "A Slack message, by incoming webhook or by the chat.postMessage API with a bot token.")
  public SlackDestination slack;

  @JsonPropertyDescription("A Microsoft Teams message, by incoming webhook or Workflows URL.")
  public ChatWebhookDestination teams;

  @JsonPropertyDescription("A Google Chat message, by the space's incoming webhook.")
  public ChatWebhookDestination googleChat;

  @JsonPropertyDescription(
      "A PagerDuty incident (Events API v2): triggered by Aborted and ProgressDeadlineExceeded,"
          + " resolved by the next Promoted; other triggers send nothing.")
  public PagerDutyDestination pagerDuty;

  @JsonPropertyDescription(
      "A commit status on GitHub or GitLab, on the commit of the rollout's annotation"
          + " weir.dev/commit: pending from ReleaseStarted, success at Promoted, failure at Aborted.")
  public CommitStatusDestination commitStatus;
}
