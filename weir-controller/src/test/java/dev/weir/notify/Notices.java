package dev.weir.notify;

import com.fasterxml.jackson.databind.JsonNode;
import dev.weir.analysis.AllowedAddresses;
import dev.weir.api.v1alpha1.NotificationTrigger;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Notices of one release of shop/checkout, and Secrets and addresses to build requests with. */
final class Notices {

  static final String DASHBOARD =
      "https://grafana.example/d/weir-analysis?var-namespace={{rollout.namespace}}"
          + "&var-rollout={{rollout.name}}";

  static final Map<String, String> SECRETS =
      Map.of(
          "chat/token", "xoxb-s3cr3t\n",
          "chat/hook", "https://hooks.example/services/T0/B0/s3cr3t",
          "pd/key", "R0UT1NGK3Y",
          "git/token", "ghp_s3cr3t");

  static final AllowedAddresses ALLOWED =
      AllowedAddresses.of(
          List.of(
              "https://slack.com/api",
              "https://hooks.example/services",
              "https://events.pagerduty.com/v2",
              "https://api.github.com/repos/example",
              "https://gitlab.example/api/v4"));

  private Notices() {}

  static Notice of(NotificationTrigger trigger, String message, String commit) {
    return new Notice(
        "uid-1.5d8c7b6a9f." + trigger + ".2",
        trigger,
        trigger.name(),
        message,
        "2026-01-01T12:00:00Z",
        "shop",
        "checkout",
        "uid-1",
        "5d8c7b6a9f",
        "7f6e5d4c3b",
        2,
        6,
        10,
        trigger == NotificationTrigger.Aborted ? "Degraded" : "Paused",
        commit);
  }

  static Notice aborted() {
    return of(
        NotificationTrigger.Aborted,
        "rollout aborted: metric success-rate failed: 0.91 < 0.99 <&>",
        "9b2e4f1c");
  }

  static Notice awaitingPromotion() {
    return of(
        NotificationTrigger.AwaitingPromotion, "paused at step 2/6: waiting for promote", null);
  }

  static JsonNode json(Outgoing request) throws Exception {
    return Serialization.jsonMapper().readTree(request.body());
  }

  static Credentials credentials() {
    return new Credentials(
        "shop", (secret, key) -> Optional.ofNullable(SECRETS.get(secret + "/" + key)), ALLOWED);
  }
}
