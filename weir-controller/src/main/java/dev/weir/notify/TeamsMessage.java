package dev.weir.notify;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weir.api.v1alpha1.ChatFormat;
import dev.weir.api.v1alpha1.ChatWebhookDestination;
import io.fabric8.kubernetes.client.utils.Serialization;

/**
 * A notice as a Microsoft Teams message: an Adaptive Card in a message attachment (what a Workflows
 * webhook takes), or the legacy MessageCard of an Office 365 connector.
 */
final class TeamsMessage {

  private TeamsMessage() {}

  static NoticeRequest build(
      String field, ChatWebhookDestination teams, Notice notice, NoticeText text, Credentials c) {
    var url = ChatAddress.of(field, teams, c);
    String body =
        (teams.format == ChatFormat.MessageCard ? messageCard(notice, text) : adaptiveCard(text))
            .toString();
    return c.request(() -> new Outgoing(url.orElseThrow(), Outgoing.jsonHeaders(notice), body));
  }

  static ObjectNode adaptiveCard(NoticeText text) {
    ObjectNode message = Serialization.jsonMapper().createObjectNode();
    message.put("type", "message");
    var attachment = message.putArray("attachments").addObject();
    attachment.put("contentType", "application/vnd.microsoft.card.adaptive");
    ObjectNode card = attachment.putObject("content");
    card.put("$schema", "http://adaptivecards.io/schemas/adaptive-card.json");
    card.put("type", "AdaptiveCard");
    card.put("version", "1.4");
    ArrayNode body = card.putArray("body");
    body.addObject()
        .put("type", "TextBlock")
        .put("size", "Large")
        .put("weight", "Bolder")
        .put("wrap", true)
        .put("text", text.headline());
    if (!text.what().isEmpty()) {
      body.addObject().put("type", "TextBlock").put("wrap", true).put("text", text.what());
    }
    ArrayNode facts = body.addObject().put("type", "FactSet").putArray("facts");
    text.facts().forEach(f -> facts.addObject().put("title", f.label()).put("value", f.value()));
    ArrayNode commands = body.addObject().put("type", "FactSet").putArray("facts");
    text.commands()
        .forEach(c -> commands.addObject().put("title", c.label()).put("value", c.value()));
    text.dashboard()
        .ifPresent(
            d ->
                card.putArray("actions")
                    .addObject()
                    .put("type", "Action.OpenUrl")
                    .put("title", NoticeText.MEASUREMENTS)
                    .put("url", d));
    return message;
  }

  static ObjectNode messageCard(Notice notice, NoticeText text) {
    ObjectNode card = Serialization.jsonMapper().createObjectNode();
    card.put("@type", "MessageCard");
    card.put("@context", "https://schema.org/extensions");
    card.put("summary", text.headline());
    card.put("themeColor", colour(notice));
    card.put("title", text.headline());
    ObjectNode section = card.putArray("sections").addObject();
    section.put("text", text.what());
    ArrayNode facts = section.putArray("facts");
    text.facts().forEach(f -> facts.addObject().put("name", f.label()).put("value", f.value()));
    text.commands().forEach(c -> facts.addObject().put("name", c.label()).put("value", c.value()));
    text.dashboard()
        .ifPresent(
            d -> {
              var open = card.putArray("potentialAction").addObject();
              open.put("@type", "OpenUri").put("name", NoticeText.MEASUREMENTS);
              open.putArray("targets").addObject().put("os", "default").put("uri", d);
            });
    return card;
  }

  /** Red for what needs a human, green for a promotion, blue for the rest. */
  private static String colour(Notice notice) {
    return switch (notice.trigger()) {
      case Aborted, ProgressDeadlineExceeded, AnalysisInconclusive -> "D13438";
      case Promoted -> "2EB886";
      default -> "0078D7";
    };
  }
}
