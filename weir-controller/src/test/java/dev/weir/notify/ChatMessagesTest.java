package dev.weir.notify;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.api.v1alpha1.ChatWebhookDestination;
import dev.weir.api.v1alpha1.SpecProblem;
import io.fabric8.kubernetes.client.utils.Serialization;
import org.junit.jupiter.api.Test;

/** A notice as a Microsoft Teams and a Google Chat message, in each format. */
class ChatMessagesTest {

  private static final String HOOK = "url: https://chat.example/v1/spaces/AAA/messages?key=k\n";

  private static Outgoing teams(String yaml, Notice notice) {
    var d = Serialization.unmarshal(yaml, ChatWebhookDestination.class);
    return TeamsMessage.build(
            "spec.destinations[0].teams",
            d,
            notice,
            NoticeText.of(notice, Notices.DASHBOARD),
            Notices.credentials())
        .request()
        .orElseThrow();
  }

  private static NoticeRequest googleChat(String yaml, Notice notice) {
    var d = Serialization.unmarshal(yaml, ChatWebhookDestination.class);
    return GoogleChatMessage.build(
        "spec.destinations[0].googleChat",
        d,
        notice,
        NoticeText.of(notice, null),
        Notices.credentials());
  }

  @Test
  void teamsGetsAnAdaptiveCardWithTheFactsTheCommandsAndTheLink() throws Exception {
    var body = Notices.json(teams(HOOK, Notices.awaitingPromotion()));

    assertThat(body.path("type").asText()).isEqualTo("message");
    var attachment = body.path("attachments").get(0);
    assertThat(attachment.path("contentType").asText())
        .isEqualTo("application/vnd.microsoft.card.adaptive");
    var card = attachment.path("content");
    assertThat(card.path("type").asText()).isEqualTo("AdaptiveCard");
    assertThat(card.path("body").get(0).path("text").asText())
        .isEqualTo("shop/checkout: waiting for promotion");
    assertThat(card.path("body").get(2).path("facts").get(1).toString())
        .isEqualTo("{\"title\":\"Revision\",\"value\":\"5d8c7b6a9f\"}");
    assertThat(card.path("body").get(3).path("facts").get(0).toString())
        .isEqualTo("{\"title\":\"Promote\",\"value\":\"kubectl weir promote checkout -n shop\"}");
    assertThat(card.path("actions").get(0).path("url").asText())
        .isEqualTo(
            "https://grafana.example/d/weir-analysis?var-namespace=shop&var-rollout=checkout");
  }

  @Test
  void teamsGetsAMessageCardForAnOffice365Connector() throws Exception {
    var body = Notices.json(teams(HOOK + "format: MessageCard\n", Notices.aborted()));

    assertThat(body.path("@type").asText()).isEqualTo("MessageCard");
    assertThat(body.path("themeColor").asText()).isEqualTo("D13438");
    assertThat(body.path("title").asText()).isEqualTo("shop/checkout: release aborted");
    assertThat(body.path("sections").get(0).path("text").asText())
        .isEqualTo("rollout aborted: metric success-rate failed: 0.91 < 0.99 <&>");
    assertThat(body.path("potentialAction").get(0).path("targets").get(0).path("uri").asText())
        .startsWith("https://grafana.example/");
  }

  @Test
  void googleChatGetsTextByDefault() throws Exception {
    var request = googleChat(HOOK, Notices.aborted()).request().orElseThrow();

    assertThat(request.headers()).containsEntry("Content-Type", "application/json; charset=UTF-8");
    assertThat(Notices.json(request).path("text").asText())
        .isEqualTo(
            """
            *shop/checkout: release aborted*
            rollout aborted: metric success-rate failed: 0.91 < 0.99 <&>
            Rollout: shop/checkout
            Revision: 5d8c7b6a9f (commit 9b2e4f1c)
            Stable: 7f6e5d4c3b
            Step: 2/6
            Canary weight: 10%
            Phase: Degraded
            Retry: `kubectl weir retry checkout -n shop`
            Status: `kubectl weir get rollout checkout -n shop`""");
  }

  @Test
  void googleChatGetsACardWithCardsV2() throws Exception {
    var body =
        Notices.json(
            googleChat(HOOK + "format: CardsV2\n", Notices.awaitingPromotion()).request().get());

    var card = body.path("cardsV2").get(0).path("card");
    assertThat(card.path("header").path("title").asText())
        .isEqualTo("shop/checkout: waiting for promotion");
    var widgets = card.path("sections").get(0).path("widgets");
    assertThat(widgets.get(0).path("textParagraph").path("text").asText())
        .isEqualTo("paused at step 2/6: waiting for promote");
    assertThat(widgets.toString())
        .contains(
            "{\"decoratedText\":{\"topLabel\":\"Promote\",\"text\":\"<code>kubectl weir promote"
                + " checkout -n shop</code>\"}}");
  }

  @Test
  void aWebhookUrlFromASecretThatDidNotOptInIsRefused() {
    var result = googleChat("urlFrom: {secretKeyRef: {name: other, key: hook}}", Notices.aborted());

    assertThat(result.request()).isEmpty();
    assertThat(result.problems())
        .containsExactly(
            new SpecProblem(
                "spec.destinations[0].googleChat.urlFrom.secretKeyRef",
                "Secret shop/other (key hook) does not exist or has not opted in (label it"
                    + " weir.dev/analysis-secret=true)"));
  }
}
