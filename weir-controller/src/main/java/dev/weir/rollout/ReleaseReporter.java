package dev.weir.rollout;

import dev.weir.api.v1alpha1.Rollout;
import dev.weir.observability.EventRecorder;
import dev.weir.observability.WeirMetrics;
import dev.weir.rollout.plan.EventReason;
import dev.weir.rollout.plan.RolloutEvent;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Tells what happened in a reconcile, once the status that records it is written (and an abort's
 * weight write, which must not wait on the audit trail, is done): each event as a Kubernetes Event
 * on the rollout, promotions and aborts counted in Weir's metrics by their typed reason and cause.
 * A controller killed between the two loses the Events; one that told them first would tell them
 * again, when it finds the same step done a second time.
 */
final class ReleaseReporter {

  private record Happened(RolloutEvent event, Instant at) {}

  private final WeirMetrics metrics;
  private final List<Happened> happened = new ArrayList<>();

  ReleaseReporter(WeirMetrics metrics) {
    this.metrics = metrics;
  }

  /** Keeps the events of one planning pass, made at {@code at}. */
  void add(List<RolloutEvent> events, Instant at) {
    events.forEach(e -> happened.add(new Happened(e, at)));
  }

  /** Records and counts everything kept, and forgets it. */
  void report(Rollout rollout, KubernetesClient client) {
    var recorder = new EventRecorder(client);
    String namespace = rollout.getMetadata().getNamespace();
    String name = rollout.getMetadata().getName();
    for (Happened h : happened) {
      RolloutEvent event = h.event();
      recorder.record(
          rollout, event.reason().warning(), event.reason().name(), event.message(), h.at());
      if (event.reason() == EventReason.Promoted) {
        metrics.promoted(namespace, name);
      } else if (event.reason() == EventReason.Aborted) {
        metrics.aborted(namespace, name, event.cause().name());
      }
    }
    happened.clear();
  }
}
