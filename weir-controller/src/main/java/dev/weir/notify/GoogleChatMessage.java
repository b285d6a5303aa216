package dev.weir.notify;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weir.api.v1alpha1.ChatFormat;
import dev.weir.api.v1alpha1.ChatWebhookDestination;
import io.fabric8.kubernetes.client.utils.Serialization;

/** A notice as a Google Chat message: plain {@code text}, or a card ({@code cardsV2}). */
final class GoogleChatMessage {

  private GoogleChatMessage() {}

  static NoticeRequest build(
      String field, ChatWebhookDestination chat, Notice notice, NoticeText text, Credentials c) {
    var url = ChatAddress.of(field, chat, c);
    String body = (chat.format == ChatFormat.CardsV2 ? card(notice, text) : text(text)).toString();
    var headers = Outgoing.jsonHeaders(notice);
    headers.put("Content-Type", "application/json; charset=UTF-8");
    return c.request(() -> new Outgoing(url.orElseThrow(), headers, body));
  }

  static ObjectNode text(NoticeText text) {
    ObjectNode message = Serialization.jsonMapper().createObjectNode();
    var out = new StringBuilder("*").append(text.headline()).append("*\n").append(text.what());
    text.facts().forEach(f -> out.append('\n').append(f.label()).append(": ").append(f.value()));
    text.commands()
        .forEach(
            c -> out.append('\n').append(c.label()).append(": `").append(c.value()).append('`'));
    text.dashboard()
        .ifPresent(
            d ->
                out.append("\n<")
                    .append(d)
                    .append('|')
                    .append(NoticeText.MEASUREMENTS)
                    .append('>'));
    message.put("text", out.toString());
    return message;
  }

  static ObjectNode card(Notice notice, NoticeText text) {
    ObjectNode message = Serialization.jsonMapper().createObjectNode();
    message.put("text", text.headline());
    var entry = message.putArray("cardsV2").addObject();
    entry.put("cardId", "weir-" + notice.trigger());
    ObjectNode card = entry.putObject("card");
    card.putObject("header")
        .put("title", text.headline())
        .put("subtitle", notice.namespace() + "/" + notice.rollout());
    ArrayNode widgets = card.putArray("sections").addObject().putArray("widgets");
    if (!text.what().isEmpty()) {
      widgets.addObject().putObject("textParagraph").put("text", text.what());
    }
    for (var fact : text.facts()) {
      widgets
          .addObject()
          .putObject("decoratedText")
          .put("topLabel", fact.label())
          .put("text", fact.value());
    }
    for (var command : text.commands()) {
      widgets
          .addObject()
          .putObject("decoratedText")
          .put("topLabel", command.label())
          .put("text", "<code>" + NoticeText.escapeMarkup(command.value()) + "</code>");
    }
    text.dashboard()
        .ifPresent(
            d ->
                widgets
                    .addObject()
                    .putObject("buttonList")
                    .putArray("buttons")
                    .addObject()
                    .put("text", NoticeText.MEASUREMENTS)
                    .putObject("onClick")
                    .putObject("openLink")
                    .put("url", d));
    return message;
  }
}
