package dev.weir.rollout;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.weir.api.WellKnownNames;
import dev.weir.notify.NotificationSettings;
import dev.weir.testing.ClassicCanary;
import dev.weir.testing.RecordingReceiver;
import dev.weir.testing.RolloutScenario;
import dev.weir.testing.Tier;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;

/**
 * What the notification stories share: a real HTTP receiver on loopback ({@link RecordingReceiver})
 * that the operator allows Secrets' values to go to, delivery timings compressed to fit a test, the
 * story's Secrets, and what the rollout's readers see.
 */
abstract class NotificationStories extends ReleaseStories {

  RecordingReceiver receiver;
  NotificationSettings settings;

  NotificationStories(Tier tier) {
    super(tier);
  }

  @BeforeEach
  void startTheReceiver() {
    receiver = RecordingReceiver.start();
    closeables.add(receiver);
    // Compressed: a second to wait for an answer, retries from 200 ms.
    settings =
        NotificationSettings.defaults()
            .allowing(List.of(receiver.address()))
            .timing(Duration.ofSeconds(1), Duration.ofMillis(200), Duration.ofSeconds(1));
  }

  /** Given Weir running and v1 of the payments team's rollout stable (the policies select it). */
  void givenStableV1OfThePaymentsTeam() {
    startKubeletAndWeir(settings);
    checkout =
        ClassicCanary.givenStableV1(
            client(), r -> r.getMetadata().setLabels(Map.of("team", "payments")));
  }

  /** A Secret of the story's namespace, made anew, opted in to Weir or not. */
  void givenASecret(String secret, Map<String, String> data, boolean optedIn) {
    var meta = new ObjectMetaBuilder().withName(secret).withNamespace(namespace);
    if (optedIn) {
      meta.addToLabels(WellKnownNames.ANALYSIS_SECRET_LABEL, WellKnownNames.ANALYSIS_SECRET_OPT_IN);
    }
    var s = new SecretBuilder().withMetadata(meta.build()).withStringData(data).build();
    client().secrets().inNamespace(namespace).withName(secret).delete();
    await("the old Secret gone")
        .atMost(RolloutScenario.PATIENCE)
        .until(() -> client().secrets().inNamespace(namespace).withName(secret).get() == null);
    client().resource(s).create();
  }

  static JsonNode json(RecordingReceiver.Received r) {
    try {
      return Serialization.jsonMapper().readTree(r.body());
    } catch (java.io.IOException e) {
      throw new AssertionError("not JSON: " + r.body(), e);
    }
  }

  /** What the rollout's readers see: Events, status, ledger. */
  String whatUsersSee() {
    var events =
        client().v1().events().inNamespace(namespace).list().getItems().stream()
            .map(e -> e.getReason() + ": " + e.getMessage())
            .toList();
    return Serialization.asYaml(checkout.rollout())
        + Serialization.asYaml(client().configMaps().inNamespace(namespace).list())
        + events;
  }

  List<String> eventMessages(String reason) {
    return client().v1().events().inNamespace(namespace).list().getItems().stream()
        .filter(e -> reason.equals(e.getReason()))
        .map(Event::getMessage)
        .toList();
  }
}
