package dev.weir.notify;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weir.api.v1alpha1.NotificationTrigger;
import dev.weir.api.v1alpha1.PagerDutyDestination;
import io.fabric8.kubernetes.client.utils.Serialization;

/**
 * A notice as a PagerDuty Events API v2 event: an abort, or a release stuck past its progress
 * deadline, triggers an incident; the rollout's next promotion resolves it. The dedup_key is the
 * rollout's, the same for every release of it, so the resolve closes the incident the trigger
 * opened (and a second abort before it adds to the open incident instead of paging again).
 */
final class PagerDutyEvent {

  private PagerDutyEvent() {}

  /** Whether a trigger is told to PagerDuty at all: the rest would page nobody usefully. */
  static boolean tells(NotificationTrigger trigger) {
    return action(trigger) != null;
  }

  private static String action(NotificationTrigger trigger) {
    return switch (trigger) {
      case Aborted, ProgressDeadlineExceeded -> "trigger";
      case Promoted -> "resolve";
      default -> null;
    };
  }

  /** The incident's key: one per rollout. */
  static String dedupKey(Notice notice) {
    return "weir/" + notice.namespace() + "/" + notice.rollout();
  }

  static NoticeRequest build(
      String field, PagerDutyDestination pd, Notice notice, NoticeText text, Credentials c) {
    var key =
        c.read(
            field + ".routingKeyFrom.secretKeyRef",
            "the routing key",
            pd.routingKeyFrom.secretKeyRef);
    var url = c.address(field + ".url", pd.enqueueUrl());
    return c.request(
        () ->
            new Outgoing(
                url.orElseThrow(),
                Outgoing.jsonHeaders(notice),
                event(pd, notice, text, key.orElseThrow().strip()).toString()));
  }

  static ObjectNode event(PagerDutyDestination pd, Notice notice, NoticeText text, String key) {
    ObjectNode event = Serialization.jsonMapper().createObjectNode();
    event.put("routing_key", key);
    String action = action(notice.trigger());
    event.put("event_action", action);
    event.put("dedup_key", dedupKey(notice));
    if (!"trigger".equals(action)) {
      return event;
    }
    event.put("client", "Weir");
    ObjectNode payload = event.putObject("payload");
    payload.put("summary", NoticeText.cut(text.headline() + ": " + text.what(), 1024));
    payload.put("source", notice.namespace() + "/" + notice.rollout());
    payload.put("severity", pd.severityOrDefault());
    payload.put("timestamp", notice.time());
    payload.put("component", notice.rollout());
    payload.put("group", notice.namespace());
    payload.put("class", notice.trigger().name());
    ObjectNode details = payload.putObject("custom_details");
    text.facts().forEach(f -> details.put(f.label(), f.value()));
    text.commands().forEach(cmd -> details.put(cmd.label(), cmd.value()));
    text.dashboard()
        .ifPresent(
            d ->
                event
                    .putArray("links")
                    .addObject()
                    .put("href", d)
                    .put("text", NoticeText.MEASUREMENTS));
    return event;
  }
}
