package dev.weir.rollout;

import dev.weir.api.v1alpha1.Rollout;
import dev.weir.api.v1alpha1.RolloutStatus;
import dev.weir.notify.Notice;
import dev.weir.notify.Notifier;
import dev.weir.observability.EventRecorder;
import dev.weir.observability.WeirMetrics;
import dev.weir.rollout.plan.EventReason;
import dev.weir.rollout.plan.RolloutEvent;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Tells what happened in a reconcile: the events notification policies listen for handed to the
 * {@link Notifier} (its ledger) before the status that records them is written, so that a
 * controller killed in between still sends them; then, once that status is written (and an abort's
 * weight write, which must not wait on the audit trail, is done), each event as a Kubernetes Event
 * on the rollout, promotions and aborts counted in Weir's metrics by their typed reason and cause.
 * A controller killed between the two loses the Events; one that told them first would tell them
 * again, when it finds the same step done a second time.
 */
final class ReleaseReporter {

  private record Happened(RolloutEvent event, RolloutStatus status, Instant at) {}

  private final WeirMetrics metrics;
  private final Notifier notifier;
  private final List<Happened> happened = new ArrayList<>();
  // How many of the kept events have had their notices handed to the notifier.
  private int handedOver;

  ReleaseReporter(WeirMetrics metrics, Notifier notifier) {
    this.metrics = metrics;
    this.notifier = notifier;
  }

  /** Keeps the events of one planning pass, made at {@code at}, that led to {@code status}. */
  void add(List<RolloutEvent> events, RolloutStatus status, Instant at) {
    events.forEach(e -> happened.add(new Happened(e, status, at)));
  }

  /**
   * Hands the notices of what was kept and not yet handed over to the notifier (recorded in the
   * rollout's ledger at once; sent on the notifier's threads).
   */
  void handOverNotices(Rollout rollout, KubernetesClient client) {
    var notices = new ArrayList<Notice>();
    for (Happened h : happened.subList(handedOver, happened.size())) {
      NoticeTriggers.of(h.event())
          .map(
              trigger ->
                  Notice.of(
                      rollout,
                      trigger,
                      h.event().reason().name(),
                      h.event().message(),
                      h.status(),
                      h.at()))
          .ifPresent(notices::add);
    }
    handedOver = happened.size();
    // Also with none: the first call for a rollout adopts what its ledger still holds unsent.
    notifier.tell(rollout, notices, client);
  }

  /** Hands over what is left of the notices, records and counts everything kept, and forgets it. */
  void report(Rollout rollout, KubernetesClient client) {
    handOverNotices(rollout, client);
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
    handedOver = 0;
  }
}
