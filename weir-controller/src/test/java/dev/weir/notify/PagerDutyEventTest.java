package dev.weir.notify;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.weir.api.v1alpha1.NotificationTrigger;
import dev.weir.api.v1alpha1.PagerDutyDestination;
import dev.weir.api.v1alpha1.SpecProblem;
import io.fabric8.kubernetes.client.utils.Serialization;
import org.junit.jupiter.api.Test;

/** A notice as a PagerDuty event: trigger on an abort, resolve on the promotion, one key. */
class PagerDutyEventTest {

  private static final String PD = "routingKeyFrom: {secretKeyRef: {name: pd, key: key}}\n";

  private static NoticeRequest build(String yaml, Notice notice) {
    return PagerDutyEvent.build(
        "spec.destinations[0].pagerDuty",
        Serialization.unmarshal(yaml, PagerDutyDestination.class),
        notice,
        NoticeText.of(notice, Notices.DASHBOARD),
        Notices.credentials());
  }

  private static JsonNode json(NoticeRequest built) throws Exception {
    return Notices.json(built.request().orElseThrow());
  }

  @Test
  void anAbortTriggersAnIncidentKeyedByTheRollout() throws Exception {
    var built = build(PD, Notices.aborted());

    assertThat(built.request().orElseThrow().url())
        .hasToString("https://events.pagerduty.com/v2/enqueue");
    var event = json(built);
    assertThat(event.path("routing_key").asText()).isEqualTo("R0UT1NGK3Y");
    assertThat(event.path("event_action").asText()).isEqualTo("trigger");
    assertThat(event.path("dedup_key").asText()).isEqualTo("weir/shop/checkout");
    var payload = event.path("payload");
    assertThat(payload.path("summary").asText())
        .isEqualTo(
            "shop/checkout: release aborted: rollout aborted: metric success-rate failed: 0.91 <"
                + " 0.99 <&>");
    assertThat(payload.path("source").asText()).isEqualTo("shop/checkout");
    assertThat(payload.path("severity").asText()).isEqualTo("critical");
    assertThat(payload.path("timestamp").asText()).isEqualTo("2026-01-01T12:00:00Z");
    assertThat(payload.path("custom_details").path("Retry").asText())
        .isEqualTo("kubectl weir retry checkout -n shop");
    assertThat(event.path("links").get(0).path("href").asText()).startsWith("https://grafana");
  }

  @Test
  void thePromotionResolvesWithTheSameKey() throws Exception {
    var event =
        json(
            build(
                PD + "severity: warning\n",
                Notices.of(NotificationTrigger.Promoted, "5d8c7b6a9f is stable", null)));

    assertThat(event.toString())
        .isEqualTo(
            "{\"routing_key\":\"R0UT1NGK3Y\",\"event_action\":\"resolve\","
                + "\"dedup_key\":\"weir/shop/checkout\"}");
  }

  @Test
  void onlyAbortsDeadlinesAndPromotionsAreTold() {
    assertThat(NotificationTrigger.values())
        .filteredOn(PagerDutyEvent::tells)
        .containsExactly(
            NotificationTrigger.Aborted,
            NotificationTrigger.Promoted,
            NotificationTrigger.ProgressDeadlineExceeded);
  }

  @Test
  void theRoutingKeyGoesOnlyToAnAllowedAddress() {
    var built = build(PD + "url: https://pagerduty.evil.example/v2/enqueue\n", Notices.aborted());

    assertThat(built.request()).isEmpty();
    assertThat(built.problems())
        .extracting(SpecProblem::field)
        .containsExactly("spec.destinations[0].pagerDuty.url");
    assertThat(built.problems().toString())
        .contains("would send it values from Secrets: the routing key")
        .doesNotContain("R0UT1NGK3Y");
  }
}
