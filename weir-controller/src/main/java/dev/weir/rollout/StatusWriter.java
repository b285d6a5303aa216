package dev.weir.rollout;

import dev.weir.api.v1alpha1.Rollout;
import dev.weir.api.v1alpha1.RolloutStatus;
import dev.weir.rollout.plan.Action;
import dev.weir.rollout.plan.Action.Pin;
import dev.weir.rollout.plan.Action.SetNamedRoutes;
import dev.weir.rollout.plan.Action.SetWeight;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.net.HttpURLConnection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Writes a rollout's whole status, at the end of a reconcile and only when it changed, through the
 * status subresource with the resourceVersion it was computed from; and before any action that
 * moves traffic ({@link #recordsFirst}), so that a controller killed between the two finds the
 * traffic it set recorded as its own. The actions of the reconcile have happened, so their record
 * must not be lost: on a conflict (a promote, an abort, a new spec or annotation arrived meanwhile)
 * the status is written again onto the newer object, keeping any request that arrived after the
 * reconcile read the rollout. The next reconcile plans from both. The newer object is read from the
 * API server, not awaited from the informer, whose watch may be down. The informer cache gets the
 * written object at once, so a stale cache never undoes progress.
 */
final class StatusWriter {

  /** Writes tried on newer copies before the conflict is the reconcile's error. */
  private static final int CONFLICT_ATTEMPTS = 5;

  private StatusWriter() {}

  /**
   * Writes the planned status unless the rollout already carries it.
   *
   * @return the rollout as written (or as given, when nothing was written), for the next write
   */
  static Rollout write(Rollout rollout, RolloutStatus planned, Context<Rollout> context) {
    if (same(rollout.getStatus(), planned)) {
      return rollout;
    }
    Rollout written = writeOnNewest(rollout, planned, context.getClient());
    // Against the version the informer holds, so that its cache moves ahead to what was written
    // even when the write took a fresh read to succeed.
    context
        .eventSourceRetriever()
        .getControllerEventSource()
        .handleRecentResourceUpdate(ResourceID.fromResource(rollout), written, rollout);
    return written;
  }

  /**
   * Writes the planned status onto the rollout as read, or, on a conflict, onto the newest copy,
   * with the requests that arrived meanwhile.
   */
  static Rollout writeOnNewest(Rollout rollout, RolloutStatus planned, KubernetesClient client) {
    RolloutStatus read = rollout.getStatus();
    Rollout base = rollout;
    for (int attempt = 1; ; attempt++) {
      try {
        return client.resource(withProgress(base, read, planned)).updateStatus();
      } catch (KubernetesClientException e) {
        if (e.getCode() != HttpURLConnection.HTTP_CONFLICT || attempt == CONFLICT_ATTEMPTS) {
          throw e;
        }
        base = fresh(rollout, client).orElseThrow(() -> e);
      }
    }
  }

  /**
   * The rollout as the API server has it now. A conflict means the informer's copy is behind, and
   * it may stay behind for as long as its watch takes to come back (a cut connection, an API server
   * restarting), so the copy to write onto is read, not awaited.
   */
  private static Optional<Rollout> fresh(Rollout rollout, KubernetesClient client) {
    return Optional.ofNullable(client.resource(rollout).get());
  }

  /**
   * Whether the planned status must be written before these actions are carried out: they move
   * traffic, and a controller that dies after them would otherwise restart from a status that knows
   * nothing of it, take the weight or selector it wrote for someone else's change, and put the old
   * one back (traffic backwards, the step done twice, or a canary given its traffic back after its
   * abort). Written first, the status says what the traffic is about to be, which the planner
   * already reads as Weir's own. An abort's return to stable waits for this one write too: it is
   * still made in the reconcile that decided it.
   */
  static boolean recordsFirst(List<Action> actions) {
    return actions.stream()
        .anyMatch(a -> a instanceof SetWeight || a instanceof SetNamedRoutes || a instanceof Pin);
  }

  /** The fresh rollout carrying the planned status, plus the requests that are newer than it. */
  static Rollout withProgress(Rollout fresh, RolloutStatus read, RolloutStatus planned) {
    Rollout copy = Serialization.clone(fresh);
    RolloutStatus status = Serialization.jsonMapper().convertValue(planned, RolloutStatus.class);
    RolloutStatus now = fresh.getStatus();
    if (now != null) {
      if (!Objects.equals(now.promote, read == null ? null : read.promote)) {
        status.promote = now.promote;
      }
      if (!Objects.equals(now.abort, read == null ? null : read.abort)) {
        status.abort = now.abort;
      }
    }
    copy.setStatus(status);
    return copy;
  }

  /** Whether two statuses serialise alike: the planner's copies are never the same objects. */
  static boolean same(RolloutStatus a, RolloutStatus b) {
    var mapper = Serialization.jsonMapper();
    return Objects.equals(mapper.valueToTree(a), mapper.valueToTree(b));
  }
}
