package dev.weir.rollout;

import static dev.weir.testing.RolloutAssert.assertThatRollout;
import static dev.weir.testing.RolloutAssert.awaitRollout;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.weir.api.v1alpha1.NotificationPolicy;
import dev.weir.testing.ClassicCanary;
import dev.weir.testing.RecordingReceiver;
import dev.weir.testing.RolloutScenario;
import dev.weir.testing.Tier;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Test;

/**
 * Notifications as the people who receive them see them: the classic canary of
 * examples/canary-istio released while a NotificationPolicy tells a real HTTP receiver on loopback
 * ({@link RecordingReceiver}), which records what it gets and answers as each story scripts it.
 * Checked: the body in the policy's own words, the HMAC signature (computed here, independently),
 * retries after a 500 and after no answer at all, delivery after a controller restart (once), and a
 * destination that would carry a Secret to an address the operator did not allow refused with
 * nothing sent. Written once, run on each tier by a subclass.
 */
abstract class NotificationScenarios extends NotificationStories {

  private static final String KEY = "hmac-key-4242-s3cr3t";
  private static final String BODY =
      """
      {"what": "{{event.trigger}}", "rollout": "{{rollout.namespace}}/{{rollout.name}}",
       "revision": "{{revision}}", "step": "{{step}}/{{steps}}", "weight": "{{weight}}",
       "message": "{{event.message}}", "next": "{{commands.promote}}"}""";

  NotificationScenarios(Tier tier) {
    super(tier);
  }

  void givenStableV1WithAPolicy(String url, String... triggers) {
    givenStableV1OfThePaymentsTeam();
    givenTheKey("release-feed-hmac", true);
    givenThePolicy(url, triggers);
  }

  void givenTheKey(String secret, boolean optedIn) {
    givenASecret(secret, Map.of("key", KEY), optedIn);
  }

  void givenThePolicy(String url, String... triggers) {
    var policy =
        Serialization.unmarshal(
            """
            apiVersion: weir.dev/v1alpha1
            kind: NotificationPolicy
            metadata: {name: release-feed, namespace: shop}
            spec:
              selector: {matchLabels: {team: payments}}
              triggers: [%s]
              destinations:
                - name: feed
                  webhook:
                    url: %s
                    headers: [{name: X-Team, value: payments}]
                    body: %s
                    signature:
                      secretKeyRef: {name: release-feed-hmac, key: key}
            """
                .formatted(String.join(", ", triggers), url, Serialization.asJson(BODY)),
            NotificationPolicy.class);
    client().resource(policy).create();
  }

  /** The accepted requests that told this trigger. */
  List<RecordingReceiver.Received> told(String trigger) {
    return receiver.accepted().stream()
        .filter(r -> trigger.equals(json(r).path("what").asText()))
        .toList();
  }

  RecordingReceiver.Received awaitTold(String trigger) {
    try {
      await(trigger + " told to the receiver")
          .atMost(RolloutScenario.PATIENCE)
          .until(() -> !told(trigger).isEmpty());
    } catch (ConditionTimeoutException e) {
      throw new AssertionError(
          trigger
              + " never told; the receiver got "
              + receiver.received()
              + "\nwhat users see:\n"
              + whatUsersSee(),
          e);
    }
    return told(trigger).get(0);
  }

  static String hmac(String body) throws Exception {
    var mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(KEY.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
    return "sha256=" + HexFormat.of().formatHex(mac.doFinal(body.getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void aReleaseIsToldInThePolicysOwnWordsSignedWithTheSharedKey() throws Exception {
    givenStableV1WithAPolicy(
        receiver.url("/hooks/weir"), "ReleaseStarted", "AwaitingPromotion", "Promoted");

    String v2 = ClassicCanary.whenV2PausesAtTenPercent(checkout);

    var started = awaitTold("ReleaseStarted");
    var paused = awaitTold("AwaitingPromotion");
    assertThat(started.method()).isEqualTo("POST");
    assertThat(started.path()).isEqualTo("/hooks/weir");
    assertThat(started.header("Content-Type")).isEqualTo("application/json");
    assertThat(started.header("X-Team")).isEqualTo("payments");
    assertThat(json(paused).path("rollout").asText()).isEqualTo("shop/checkout");
    assertThat(json(paused).path("revision").asText()).isEqualTo(v2);
    assertThat(json(paused).path("step").asText()).isEqualTo("2/6");
    assertThat(json(paused).path("weight").asText()).isEqualTo("10");
    assertThat(json(paused).path("message").asText())
        .isEqualTo("paused at step 2/6: waiting for promote");
    assertThat(json(paused).path("next").asText())
        .isEqualTo("kubectl weir promote checkout -n shop");
    for (var r : List.of(started, paused)) {
      assertThat(r.header("X-Weir-Signature-256")).as("signed").isEqualTo(hmac(r.body()));
      assertThat(r.header("X-Weir-Delivery")).startsWith(checkout.rollout().getMetadata().getUid());
    }

    checkout.promoteFull();
    awaitRollout(checkout, "v2 promoted", r -> r.isHealthyOn(v2));
    var promoted = awaitTold("Promoted");
    assertThat(json(promoted).path("revision").asText()).isEqualTo(v2);
    assertThat(promoted.header("X-Weir-Signature-256")).isEqualTo(hmac(promoted.body()));

    await("nothing told twice, for a while")
        .during(Duration.ofSeconds(2))
        .atMost(Duration.ofSeconds(10))
        .until(() -> receiver.received().size() == 3);
    assertThat(weir.scrapeMetrics())
        .contains(
            "weir_notifications_total{destination=\"feed\",namespace=\"shop\",outcome=\"sent\","
                + "policy=\"release-feed\"} 3.0");
    assertThat(whatUsersSee()).doesNotContain(KEY);
  }

  @Test
  void aReceiverThatFailsOrDoesNotAnswerIsToldAgainWithBackoff() throws Exception {
    givenStableV1WithAPolicy(receiver.url("/hooks/weir"), "Aborted");
    ClassicCanary.whenV2PausesAtTenPercent(checkout);
    receiver.answerNext(500, RecordingReceiver.HANG, 503);

    checkout.abort();

    awaitRollout(checkout, "aborted", r -> r.isAborted());
    var aborted = awaitTold("Aborted");
    var attempts = receiver.received();
    assertThat(attempts)
        .extracting(RecordingReceiver.Received::answered)
        .containsExactly(500, 0, 503, 200);
    assertThat(attempts)
        .extracting(r -> r.header("X-Weir-Delivery"))
        .as("the same notice each time")
        .containsOnly(aborted.header("X-Weir-Delivery"));
    assertThat(attempts).extracting(RecordingReceiver.Received::body).containsOnly(aborted.body());
    assertThat(aborted.header("X-Weir-Signature-256")).isEqualTo(hmac(aborted.body()));
    assertThat(eventMessages("NotificationRetrying"))
        .singleElement()
        .asString()
        .isEqualTo(
            "Aborted notice to release-feed/feed: HTTP 500 from "
                + receiver.address()
                + "; trying again in 200ms, up to 10 attempts");
    assertThat(weir.scrapeMetrics())
        .contains(
            "weir_notifications_total{destination=\"feed\",namespace=\"shop\",outcome=\"retried\","
                + "policy=\"release-feed\"} 3.0")
        .contains(
            "weir_notifications_total{destination=\"feed\",namespace=\"shop\",outcome=\"sent\","
                + "policy=\"release-feed\"} 1.0");
    assertThat(whatUsersSee()).doesNotContain(KEY);
  }

  @Test
  void whatWasNotYetSentIsSentAfterARestartAndNothingTwice() {
    givenStableV1WithAPolicy(receiver.url("/hooks/weir"), "ReleaseStarted", "Aborted");
    ClassicCanary.whenV2PausesAtTenPercent(checkout);
    awaitTold("ReleaseStarted");
    // The receiver is down from now on, until Weir has stopped.
    receiver.answerNext(500, 500, 500, 500, 500, 500, 500, 500, 500, 500);

    checkout.abort();
    awaitRollout(checkout, "aborted", r -> r.isAborted());
    await("the abort tried at least once")
        .atMost(RolloutScenario.PATIENCE)
        .until(() -> receiver.received().stream().anyMatch(r -> r.answered() == 500));
    stopWeir();
    receiver.clearScript();
    startWeirAgain();

    awaitTold("Aborted");
    await("each told once, for a while")
        .during(Duration.ofSeconds(3))
        .atMost(Duration.ofSeconds(10))
        .until(() -> told("Aborted").size() == 1 && told("ReleaseStarted").size() == 1);
    assertThatRollout(checkout).isAborted();
  }

  @Test
  void aSecretsValueForAnAddressTheOperatorDidNotAllowIsRefusedAndNothingLeaves() {
    var elsewhere = RecordingReceiver.start("127.0.0.2");
    try {
      givenStableV1WithAPolicy(elsewhere.url("/steal"), "ReleaseStarted");

      ClassicCanary.whenV2PausesAtTenPercent(checkout);

      await("the refusal on the rollout")
          .atMost(RolloutScenario.PATIENCE)
          .until(() -> !eventMessages("NotificationRefused").isEmpty());
      assertThat(eventMessages("NotificationRefused"))
          .singleElement()
          .asString()
          .isEqualTo(
              "ReleaseStarted notice to release-feed/feed: NotificationPolicy release-feed:"
                  + " spec.destinations[0].webhook.url: "
                  + elsewhere.address()
                  + " is not an allowed notification address"
                  + " (weir.notifications.allowed-addresses: ["
                  + receiver.address()
                  + "]), and the destination would send it values from Secrets: the signature;"
                  + " nothing sent");
      await("nothing received, for a while")
          .during(Duration.ofSeconds(2))
          .atMost(Duration.ofSeconds(10))
          .until(() -> elsewhere.received().isEmpty());
      assertThat(weir.scrapeMetrics()).contains("outcome=\"refused\"");
      assertThat(whatUsersSee()).doesNotContain(KEY);
    } finally {
      elsewhere.close();
    }
  }

  @Test
  void aKeyFromASecretThatDidNotOptInIsNeverReadAndNothingIsSent() {
    givenStableV1WithAPolicy(receiver.url("/hooks/weir"), "ReleaseStarted");
    givenTheKey("release-feed-hmac", false);

    ClassicCanary.whenV2PausesAtTenPercent(checkout);

    await("the refusal on the rollout")
        .atMost(RolloutScenario.PATIENCE)
        .until(() -> !eventMessages("NotificationRefused").isEmpty());
    assertThat(eventMessages("NotificationRefused"))
        .singleElement()
        .asString()
        .contains(
            "spec.destinations[0].webhook.signature.secretKeyRef: Secret shop/release-feed-hmac"
                + " (key key) does not exist or has not opted in (label it"
                + " weir.dev/analysis-secret=true)");
    assertThat(receiver.received()).isEmpty();
  }
}
