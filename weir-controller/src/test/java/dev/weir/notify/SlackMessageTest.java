package dev.weir.notify;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.api.v1alpha1.SlackDestination;
import dev.weir.api.v1alpha1.SpecProblem;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** A notice as a Slack message: the blocks, both ways of posting, Slack's answers, refusals. */
class SlackMessageTest {

  private static NoticeRequest build(String yaml, Notice notice) {
    return SlackMessage.build(
        "spec.destinations[0].slack",
        Serialization.unmarshal(yaml, SlackDestination.class),
        notice,
        NoticeText.of(notice, Notices.DASHBOARD),
        Notices.credentials());
  }

  @Test
  void chatPostMessageWithTheBotTokenSaysWhatHappenedAndWhatToDoNext() throws Exception {
    var request =
        build(
                """
                channel: C0123PAYMENTS
                tokenFrom: {secretKeyRef: {name: chat, key: token}}
                """,
                Notices.awaitingPromotion())
            .request()
            .orElseThrow();

    assertThat(request.url()).hasToString("https://slack.com/api/chat.postMessage");
    assertThat(request.headers())
        .containsEntry("Authorization", "Bearer xoxb-s3cr3t")
        .containsEntry("Content-Type", "application/json; charset=utf-8")
        .containsEntry("X-Weir-Delivery", "uid-1.5d8c7b6a9f.AwaitingPromotion.2");
    var body = Notices.json(request);
    assertThat(body.path("channel").asText()).isEqualTo("C0123PAYMENTS");
    assertThat(body.path("text").asText()).isEqualTo("shop/checkout: waiting for promotion");
    assertThat(request.body())
        .contains("paused at step 2/6: waiting for promote")
        .contains("*Revision*\\n5d8c7b6a9f")
        .contains("*Step*\\n2/6")
        .contains("*Promote:* `kubectl weir promote checkout -n shop`")
        .contains("*Abort:* `kubectl weir abort checkout -n shop`")
        .contains(
            "<https://grafana.example/d/weir-analysis?var-namespace=shop&amp;var-rollout=checkout"
                + "|Measurements of the release>")
        .doesNotContain("s3cr3t");
    assertThat(body.path("blocks").get(0).path("type").asText()).isEqualTo("header");
  }

  @Test
  void anAbortNamesItsCommitEscapesTheMessageAndSaysHowToRetry() throws Exception {
    var body =
        Notices.json(
            build("url: https://hooks.example/services/T0/B0/x", Notices.aborted())
                .request()
                .orElseThrow());

    assertThat(body.has("channel")).isFalse();
    assertThat(body.toString())
        .contains("0.91 &lt; 0.99 &lt;&amp;&gt;")
        .contains("5d8c7b6a9f (commit 9b2e4f1c)")
        .contains("*Retry:* `kubectl weir retry checkout -n shop`")
        .doesNotContain("*Promote:*");
  }

  @Test
  void anIncomingWebhookFromASecretGoesOnlyWhereItIsAllowed() {
    var request =
        build("urlFrom: {secretKeyRef: {name: chat, key: hook}}", Notices.aborted())
            .request()
            .orElseThrow();

    assertThat(request.url()).hasToString("https://hooks.example/services/T0/B0/s3cr3t");
    assertThat(request.toString()).isEqualTo("POST https://hooks.example");
    assertThat(request.acceptance().failureIn("ok")).isEmpty();
  }

  @Test
  void slacksOkFalseIsAFailureAndItsErrorIsTold() {
    assertThat(SlackMessage.apiFailure("{\"ok\":true,\"ts\":\"1.2\"}")).isEmpty();
    assertThat(SlackMessage.apiFailure("{\"ok\":false,\"error\":\"channel_not_found\"}"))
        .contains("Slack answered ok=false: channel_not_found");
    assertThat(SlackMessage.apiFailure("<html>")).contains("Slack answered no JSON");
    assertThat(SlackMessage.apiFailure("{\"ok\":false,\"error\":\"x\\\" xoxb-1\"}"))
        .as("only the error code's letters, nothing else the answer says")
        .contains("Slack answered ok=false: xxoxb");
  }

  @Test
  void theBotTokenForAnApiNotAllowedIsRefused() {
    var result =
        build(
            """
            channel: C0123PAYMENTS
            apiUrl: https://slack.evil.example/api
            tokenFrom: {secretKeyRef: {name: chat, key: token}}
            """,
            Notices.aborted());

    assertThat(result.request()).isEmpty();
    assertThat(result.problems())
        .singleElement()
        .isEqualTo(
            new SpecProblem(
                "spec.destinations[0].slack.apiUrl",
                "https://slack.evil.example is not an allowed notification address"
                    + " (weir.notifications.allowed-addresses: "
                    + Notices.ALLOWED
                    + "), and the destination would send it values from Secrets: the bot token"));
    assertThat(Optional.of(result.problems().toString())).get().asString().doesNotContain("s3cr3t");
  }
}
