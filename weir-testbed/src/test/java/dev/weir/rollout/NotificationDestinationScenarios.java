package dev.weir.rollout;

import static dev.weir.testing.RolloutAssert.awaitRollout;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.weir.api.v1alpha1.NotificationPolicy;
import dev.weir.testing.ClassicCanary;
import dev.weir.testing.RecordingReceiver;
import dev.weir.testing.RecordingReceiver.Answer;
import dev.weir.testing.RecordingReceiver.Received;
import dev.weir.testing.RolloutScenario;
import dev.weir.testing.Tier;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * The destinations people work in, played by a real HTTP receiver on loopback that records what it
 * gets and answers as the service would: Slack (the Web API's chat.postMessage, and its {@code
 * {"ok": false}} answer), Microsoft Teams, Google Chat, PagerDuty's Events API v2, and the commit
 * status APIs of GitHub and GitLab. The release is the classic canary of examples/canary-istio;
 * every credential comes from a Secret that opted in. Written once, run on each tier by a subclass.
 */
abstract class NotificationDestinationScenarios extends NotificationStories {

  private static final String SHA = "9b2e4f1c0d3a5b6c7d8e9f00112233445566aabb";
  private static final Map<String, String> CREDENTIALS =
      Map.of(
          "slack-bot-token", "xoxb-0000-s3cr3t",
          "pagerduty-routing-key", "R0UT1NG-s3cr3t",
          "github-token", "ghp_s3cr3t",
          "gitlab-token", "glpat-s3cr3t");

  NotificationDestinationScenarios(Tier tier) {
    super(tier);
  }

  /** Given stable v1, the policy with these triggers and destinations, and its Secret. */
  void givenStableV1WithAPolicy(List<String> triggers, String destinations) {
    givenStableV1OfThePaymentsTeam();
    var credentials = new java.util.HashMap<>(CREDENTIALS);
    credentials.put("teams-webhook-url", receiver.url("/teams/webhookb2/s3cr3t"));
    givenASecret("on-call-notifications", credentials, true);
    var policy =
        Serialization.unmarshal(
            """
            apiVersion: weir.dev/v1alpha1
            kind: NotificationPolicy
            metadata: {name: on-call, namespace: shop}
            spec:
              selector: {matchLabels: {team: payments}}
              triggers: [%s]
              dashboardUrl: https://grafana.example/d/weir-analysis?var-namespace={{rollout.namespace}}&var-rollout={{rollout.name}}
              destinations:
            %s"""
                .formatted(String.join(", ", triggers), destinations.indent(4)),
            NotificationPolicy.class);
    client().resource(policy).create();
  }

  /** The secret's key as a destination's secretKeyRef. */
  static String secret(String key) {
    return "{secretKeyRef: {name: on-call-notifications, key: " + key + "}}";
  }

  List<Received> awaitReceived(String what, Supplier<List<Received>> requests, int count) {
    await(what)
        .atMost(RolloutScenario.PATIENCE)
        .failFast("more than expected: " + receiver.received(), () -> requests.get().size() > count)
        .until(() -> requests.get().size() == count);
    return requests.get();
  }

  List<Received> accepted(String path) {
    return receiver.receivedAt(path).stream().filter(Received::accepted).toList();
  }

  void assertNoSecretShown() {
    String seen = whatUsersSee() + weir.scrapeMetrics();
    CREDENTIALS.values().forEach(v -> assertThat(seen).doesNotContain(v));
    assertThat(seen).doesNotContain("webhookb2/s3cr3t");
  }

  @Test
  void slackIsToldThroughItsApiAndAnOkFalseAnswerIsTriedAgain() {
    receiver.answerByDefault(new Answer(200, "{\"ok\":true,\"channel\":\"C0123\",\"ts\":\"1.1\"}"));
    receiver.answerNext(new Answer(200, "{\"ok\":false,\"error\":\"ratelimited\"}"));
    givenStableV1WithAPolicy(
        List.of("AwaitingPromotion"),
        """
        - name: slack
          slack:
            channel: C0123PAYMENTS
            apiUrl: %s
            tokenFrom: %s
        """
            .formatted(receiver.url("/api"), secret("slack-bot-token")));

    ClassicCanary.whenV2PausesAtTenPercent(checkout);

    var posts =
        awaitReceived("posted twice", () -> receiver.receivedAt("/api/chat.postMessage"), 2);
    assertThat(posts)
        .extracting(Received::body)
        .as("the same message")
        .containsOnly(posts.get(0).body());
    var post = posts.get(1);
    assertThat(post.header("Authorization")).isEqualTo("Bearer xoxb-0000-s3cr3t");
    var message = json(post);
    assertThat(message.path("channel").asText()).isEqualTo("C0123PAYMENTS");
    assertThat(message.path("text").asText()).isEqualTo("shop/checkout: waiting for promotion");
    assertThat(post.body())
        .contains("paused at step 2/6: waiting for promote")
        .contains("*Promote:* `kubectl weir promote checkout -n shop`")
        .contains("*Abort:* `kubectl weir abort checkout -n shop`")
        .contains(
            "<https://grafana.example/d/weir-analysis?var-namespace=shop&amp;var-rollout=checkout|");
    await("the retry told")
        .atMost(RolloutScenario.PATIENCE)
        .until(() -> !eventMessages("NotificationRetrying").isEmpty());
    assertThat(eventMessages("NotificationRetrying"))
        .singleElement()
        .asString()
        .isEqualTo(
            "AwaitingPromotion notice to on-call/slack: Slack answered ok=false: ratelimited from "
                + receiver.address()
                + "; trying again in 200ms, up to 10 attempts");
    await("counted")
        .atMost(RolloutScenario.PATIENCE)
        .until(
            () ->
                weir.scrapeMetrics()
                    .contains(
                        "weir_notifications_total{destination=\"slack\",namespace=\"shop\","
                            + "outcome=\"sent\",policy=\"on-call\"} 1.0"));
    assertThat(weir.scrapeMetrics())
        .contains(
            "weir_notifications_total{destination=\"slack\",namespace=\"shop\","
                + "outcome=\"retried\",policy=\"on-call\"} 1.0");
    assertNoSecretShown();
  }

  @Test
  void teamsAndGoogleChatEachGetTheirOwnCard() {
    givenStableV1WithAPolicy(
        List.of("ReleaseStarted"),
        """
        - name: teams
          teams:
            urlFrom: %s
        - name: google-chat
          googleChat:
            format: CardsV2
            url: %s
        """
            .formatted(secret("teams-webhook-url"), receiver.url("/v1/spaces/AAA/messages")));

    String v2 = ClassicCanary.whenV2PausesAtTenPercent(checkout);

    var teams =
        awaitReceived("Teams told", () -> receiver.receivedAt("/teams/webhookb2/s3cr3t"), 1);
    var card = json(teams.get(0)).path("attachments").get(0).path("content");
    assertThat(card.path("type").asText()).isEqualTo("AdaptiveCard");
    assertThat(card.path("body").get(0).path("text").asText())
        .isEqualTo("shop/checkout: release of " + v2 + " started");
    assertThat(card.path("actions").get(0).path("url").asText())
        .isEqualTo(
            "https://grafana.example/d/weir-analysis?var-namespace=shop&var-rollout=checkout");
    var chat =
        awaitReceived("Google Chat told", () -> receiver.receivedAt("/v1/spaces/AAA/messages"), 1);
    var chatCard = json(chat.get(0)).path("cardsV2").get(0).path("card");
    assertThat(chatCard.path("header").path("title").asText())
        .isEqualTo("shop/checkout: release of " + v2 + " started");
    assertThat(chatCard.toString()).contains("kubectl weir promote checkout -n shop");
    assertNoSecretShown();
  }

  @Test
  void pagerDutyIsPagedAtTheAbortAndResolvedByTheNextPromotion() {
    givenStableV1WithAPolicy(
        List.of("ReleaseStarted", "Aborted", "Promoted"),
        """
        - name: pagerduty
          pagerDuty:
            url: %s
            routingKeyFrom: %s
        """
            .formatted(receiver.url("/v2/enqueue"), secret("pagerduty-routing-key")));
    ClassicCanary.whenV2PausesAtTenPercent(checkout);

    checkout.abort();
    awaitRollout(checkout, "v2 aborted", r -> r.isAborted());
    var trigger = awaitReceived("paged", receiver::received, 1).get(0);
    checkout.setImage(ClassicCanary.V3);
    String v3 = awaitRollout(checkout, "v3 paused", r -> r.isPausedAtStep(2)).currentPodHash;
    checkout.promoteFull();
    awaitRollout(checkout, "v3 promoted", r -> r.isHealthyOn(v3));
    var resolve = awaitReceived("resolved", receiver::received, 2).get(1);

    assertThat(json(trigger).path("event_action").asText()).isEqualTo("trigger");
    assertThat(json(trigger).path("routing_key").asText()).isEqualTo("R0UT1NG-s3cr3t");
    assertThat(json(trigger).path("payload").path("summary").asText())
        .startsWith("shop/checkout: release aborted: ");
    assertThat(json(trigger).path("payload").path("severity").asText()).isEqualTo("critical");
    assertThat(json(resolve).path("event_action").asText()).isEqualTo("resolve");
    assertThat(json(resolve).path("dedup_key").asText())
        .isEqualTo(json(trigger).path("dedup_key").asText())
        .isEqualTo("weir/shop/checkout");
    await("no release start paged, for a while")
        .during(Duration.ofSeconds(2))
        .atMost(Duration.ofSeconds(10))
        .until(() -> receiver.received().size() == 2);
    assertNoSecretShown();
  }

  @Test
  void thePullRequestsCommitShowsItsReleasePendingThenSuccessInOrderOnGitHubAndGitLab() {
    givenStableV1WithAPolicy(
        List.of("ReleaseStarted", "AwaitingPromotion", "Promoted"),
        """
        - name: github
          commitStatus:
            provider: GitHub
            apiUrl: %s
            repository: example/checkout-config
            tokenFrom: %s
        - name: gitlab
          commitStatus:
            provider: GitLab
            apiUrl: %s
            repository: shop/checkout-config
            tokenFrom: %s
        """
            .formatted(
                receiver.url("/github"),
                secret("github-token"),
                receiver.url("/gitlab/api/v4"),
                secret("gitlab-token")));

    // The git host fails at first: each commit's statuses still arrive in the order told.
    receiver.answerNext(500, 500, 500);
    // The commit a GitOps sync applies names itself on the rollout.
    checkout.edit(
        r -> {
          r.getMetadata().setAnnotations(Map.of("weir.dev/commit", SHA));
          r.getSpec().template.getSpec().getContainers().get(0).setImage(ClassicCanary.V2);
          return r;
        });
    String v2 = awaitRollout(checkout, "v2 paused", r -> r.isPausedAtStep(2)).currentPodHash;
    String github = "/github/repos/example/checkout-config/statuses/" + SHA;
    awaitReceived("pending twice on GitHub", () -> accepted(github), 2);
    checkout.promoteFull();
    awaitRollout(checkout, "v2 promoted", r -> r.isHealthyOn(v2));

    var statuses = awaitReceived("success on GitHub", () -> accepted(github), 3);
    assertThat(statuses)
        .extracting(r -> json(r).path("state").asText())
        .containsExactly("pending", "pending", "success");
    assertThat(statuses)
        .extracting(r -> json(r).path("context").asText())
        .containsOnly("weir/checkout");
    assertThat(json(statuses.get(1)).path("description").asText())
        .isEqualTo("waiting for promotion: paused at step 2/6: waiting for promote");
    assertThat(json(statuses.get(2)).path("target_url").asText())
        .startsWith("https://grafana.example/d/weir-analysis");
    assertThat(statuses)
        .extracting(r -> r.header("Authorization"))
        .containsOnly("Bearer ghp_s3cr3t");
    var gitlab =
        awaitReceived(
            "running then success on GitLab",
            () -> accepted("/gitlab/api/v4/projects/shop%2Fcheckout-config/statuses/" + SHA),
            2);
    assertThat(gitlab)
        .extracting(r -> json(r).path("state").asText())
        .containsExactly("running", "success");
    assertThat(gitlab).extracting(r -> r.header("PRIVATE-TOKEN")).containsOnly("glpat-s3cr3t");
    assertNoSecretShown();
  }

  @Test
  void aDestinationOutsideTheAllowedAddressesGetsNothing() {
    var elsewhere = RecordingReceiver.start("127.0.0.2");
    closeables.add(elsewhere);
    givenStableV1WithAPolicy(
        List.of("Aborted"),
        """
        - name: pagerduty
          pagerDuty:
            url: %s
            routingKeyFrom: %s
        """
            .formatted(elsewhere.url("/v2/enqueue"), secret("pagerduty-routing-key")));
    ClassicCanary.whenV2PausesAtTenPercent(checkout);

    checkout.abort();

    await("the refusal on the rollout")
        .atMost(RolloutScenario.PATIENCE)
        .until(() -> !eventMessages("NotificationRefused").isEmpty());
    assertThat(eventMessages("NotificationRefused"))
        .singleElement()
        .asString()
        .isEqualTo(
            "Aborted notice to on-call/pagerduty: NotificationPolicy on-call:"
                + " spec.destinations[0].pagerDuty.url: "
                + elsewhere.address()
                + " is not an allowed notification address"
                + " (weir.notifications.allowed-addresses: ["
                + receiver.address()
                + "]), and the destination would send it values from Secrets: the routing key;"
                + " nothing sent");
    await("nothing received, for a while")
        .during(Duration.ofSeconds(2))
        .atMost(Duration.ofSeconds(10))
        .until(() -> elsewhere.received().isEmpty() && receiver.received().isEmpty());
    assertThat(weir.scrapeMetrics())
        .contains(
            "weir_notifications_total{destination=\"pagerduty\",namespace=\"shop\","
                + "outcome=\"refused\",policy=\"on-call\"} 1.0");
    assertNoSecretShown();
  }
}
