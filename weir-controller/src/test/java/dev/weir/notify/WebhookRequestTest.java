package dev.weir.notify;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.analysis.AllowedAddresses;
import dev.weir.api.v1alpha1.NotificationTrigger;
import dev.weir.api.v1alpha1.SpecProblem;
import dev.weir.api.v1alpha1.WebhookDestination;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** A webhook's request for one notice: body, headers, signature, and when none may leave. */
class WebhookRequestTest {

  private static final Notice ABORTED =
      Notices.of(NotificationTrigger.Aborted, "rollout aborted: \"success-rate\" failed", null);

  private static final Map<String, String> SECRETS =
      Map.of(
          "hook/key", "k3y",
          "hook/token", "t0k\n",
          "hook/split", "t0k\nX-Evil: s3cr3t");
  private static final AllowedAddresses ALLOWED =
      AllowedAddresses.of(List.of("https://hooks.example/weir"));

  private static NoticeRequest build(String yaml) {
    return WebhookRequest.build(
        "spec.destinations[0].webhook",
        Serialization.unmarshal(yaml, WebhookDestination.class),
        ABORTED,
        new Credentials(
            "shop",
            (secret, key) -> Optional.ofNullable(SECRETS.get(secret + "/" + key)),
            ALLOWED));
  }

  @Test
  void aTemplatedBodyHeadersAndTheSignatureOfTheBody() {
    var result =
        build(
            """
            url: https://hooks.example/weir/abc
            headers:
              - {name: X-Step, value: "{{step}}/{{steps}}"}
              - {name: Authorization, valueFrom: {secretKeyRef: {name: hook, key: token}}}
            body: '{"text": "{{rollout.name}}: {{event.message}}"}'
            signature: {secretKeyRef: {name: hook, key: key}}
            """);

    var request = result.request().orElseThrow();
    assertThat(request.body())
        .isEqualTo("{\"text\": \"checkout: rollout aborted: \\\"success-rate\\\" failed\"}");
    assertThat(request.headers())
        .containsEntry("Content-Type", "application/json")
        .containsEntry("X-Weir-Delivery", "uid-1.5d8c7b6a9f.Aborted.2")
        .containsEntry("X-Step", "2/6")
        .containsEntry("Authorization", "t0k")
        .containsEntry("X-Weir-Signature-256", BodySignature.of(request.body(), "k3y"));
    assertThat(request.toString()).isEqualTo("POST https://hooks.example").doesNotContain("abc");
  }

  @Test
  void withoutABodyWeirsOwnDocument() {
    var request = build("url: http://anywhere.example/hook").request().orElseThrow();

    var doc = Serialization.unmarshal(request.body(), Map.class);
    assertThat(doc)
        .containsEntry("trigger", "Aborted")
        .containsEntry("revision", "5d8c7b6a9f")
        .containsEntry("step", 2)
        .containsEntry("rollout", Map.of("namespace", "shop", "name", "checkout", "uid", "uid-1"))
        .doesNotContainKey("commit");
    assertThat(request.headers()).doesNotContainKey("X-Weir-Signature-256");
  }

  @Test
  void aSecretsValueForAnAddressNotAllowedIsRefused() {
    var result =
        build(
            """
            url: https://elsewhere.example/steal?token=x
            signature: {secretKeyRef: {name: hook, key: key}}
            headers: [{name: Authorization, valueFrom: {secretKeyRef: {name: hook, key: token}}}]
            """);

    assertThat(result.request()).isEmpty();
    assertThat(result.problems())
        .containsExactly(
            new SpecProblem(
                "spec.destinations[0].webhook.url",
                "https://elsewhere.example is not an allowed notification address"
                    + " (weir.notifications.allowed-addresses: [https://hooks.example/weir]), and"
                    + " the destination would send it values from Secrets: header"
                    + " 'Authorization', the signature"));
  }

  @Test
  void aSecretThatDidNotOptInIsNamedByItsField() {
    var result =
        build(
            """
            url: https://hooks.example/weir
            signature: {secretKeyRef: {name: unlabelled, key: key}}
            """);

    assertThat(result.problems())
        .containsExactly(
            new SpecProblem(
                "spec.destinations[0].webhook.signature.secretKeyRef",
                "Secret shop/unlabelled (key key) does not exist or has not opted in (label it"
                    + " weir.dev/analysis-secret=true)"));
  }

  @Test
  void aHeaderFromASecretIsTrimmedAndOneWithALineBreakInsideIsRefusedUnshown() {
    var result =
        build(
            """
            url: https://hooks.example/weir
            headers: [{name: Authorization, valueFrom: {secretKeyRef: {name: hook, key: split}}}]
            """);

    assertThat(result.request()).isEmpty();
    assertThat(result.problems())
        .containsExactly(
            new SpecProblem(
                "spec.destinations[0].webhook.headers[0].valueFrom.secretKeyRef",
                "the value is no valid header value: it holds a line break or another control"
                    + " character"));
    assertThat(result.problems().toString()).doesNotContain("s3cr3t");
  }
}
