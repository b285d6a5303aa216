package dev.weir.notify;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weir.api.v1alpha1.ChatWebhookDestination;
import dev.weir.api.v1alpha1.SlackDestination;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.net.URI;
import java.util.Optional;

/**
 * A notice as a Slack message (Block Kit): through an incoming webhook, or through chat.postMessage
 * with a bot token, whose 200 answer says {@code "ok": false} when the message was not posted.
 */
final class SlackMessage {

  private SlackMessage() {}

  static NoticeRequest build(
      String field, SlackDestination slack, Notice notice, NoticeText text, Credentials creds) {
    var headers = Outgoing.jsonHeaders(notice);
    ObjectNode body = blocks(text);
    Optional<URI> url;
    if (slack.tokenFrom != null) {
      creds
          .read(field + ".tokenFrom.secretKeyRef", "the bot token", slack.tokenFrom.secretKeyRef)
          .ifPresent(token -> headers.put("Authorization", "Bearer " + token.strip()));
      headers.put("Content-Type", "application/json; charset=utf-8");
      body.put("channel", slack.channel);
      url =
          creds.address(field + ".apiUrl", slack.api().replaceAll("/+$", "") + "/chat.postMessage");
    } else {
      var hook = new ChatWebhookDestination();
      hook.url = slack.url;
      hook.urlFrom = slack.urlFrom;
      url = ChatAddress.of(field, hook, creds);
    }
    String json = body.toString();
    Outgoing.Acceptance acceptance =
        slack.tokenFrom != null ? SlackMessage::apiFailure : Outgoing.Acceptance.ANY_2XX;
    return creds.request(() -> new Outgoing(url.orElseThrow(), headers, json, acceptance));
  }

  /** The message: a fallback text for notifications, and blocks for the channel. */
  static ObjectNode blocks(NoticeText text) {
    ObjectNode body = Serialization.jsonMapper().createObjectNode();
    body.put("text", NoticeText.escapeMarkup(text.headline()));
    ArrayNode blocks = body.putArray("blocks");
    var header = blocks.addObject().put("type", "header").putObject("text");
    header.put("type", "plain_text").put("text", NoticeText.cut(text.headline(), 150));
    if (!text.what().isEmpty()) {
      section(blocks, NoticeText.cut(NoticeText.escapeMarkup(text.what()), 3000));
    }
    ArrayNode fields = blocks.addObject().put("type", "section").putArray("fields");
    for (var fact : text.facts()) {
      fields
          .addObject()
          .put("type", "mrkdwn")
          .put("text", "*" + fact.label() + "*\n" + NoticeText.escapeMarkup(fact.value()));
    }
    var next = new StringBuilder();
    for (var command : text.commands()) {
      next.append(next.isEmpty() ? "" : "\n")
          .append("*")
          .append(command.label())
          .append(":* `")
          .append(NoticeText.escapeMarkup(command.value()))
          .append("`");
    }
    section(blocks, next.toString());
    text.dashboard()
        .ifPresent(
            d ->
                section(
                    blocks,
                    "<"
                        + NoticeText.escapeMarkup(d)
                        + "|"
                        + NoticeText.MEASUREMENTS
                        + " of the release>"));
    return body;
  }

  private static void section(ArrayNode blocks, String mrkdwn) {
    blocks
        .addObject()
        .put("type", "section")
        .putObject("text")
        .put("type", "mrkdwn")
        .put("text", mrkdwn);
  }

  /** What chat.postMessage's answer says went wrong: Slack answers 200 with ok false. */
  static Optional<String> apiFailure(String answer) {
    JsonNode json;
    try {
      json = Serialization.jsonMapper().readTree(answer);
    } catch (IOException e) {
      return Optional.of("Slack answered no JSON");
    }
    if (json != null && json.path("ok").asBoolean(false)) {
      return Optional.empty();
    }
    // Slack's error is a code such as channel_not_found; nothing else of the answer is repeated.
    String error = json == null ? "" : json.path("error").asText("").replaceAll("[^a-z_]", "");
    return Optional.of(
        "Slack answered ok=false" + (error.isEmpty() ? "" : ": " + NoticeText.cut(error, 80)));
  }
}
