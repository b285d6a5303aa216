package dev.weir.rollout;

import dev.weir.api.v1alpha1.Rollout;
import dev.weir.api.v1alpha1.RolloutStatus;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.PrimaryUpdateAndCacheUtils;
import java.util.Objects;

/**
 * Writes a rollout's whole status, once per reconcile and only when it changed, through the status
 * subresource with the resourceVersion it was computed from. The actions of the reconcile have
 * happened, so their record must not be lost: on a conflict (a promote, an abort, a new spec or
 * annotation arrived meanwhile) the status is written again onto the newer object, keeping any
 * request that arrived after the reconcile read the rollout. The next reconcile plans from both.
 * The informer cache gets the written object at once, so a stale cache never undoes progress.
 */
final class StatusWriter {

  private StatusWriter() {}

  static void write(Rollout rollout, RolloutStatus planned, Context<Rollout> context) {
    if (same(rollout.getStatus(), planned)) {
      return;
    }
    RolloutStatus read = rollout.getStatus();
    PrimaryUpdateAndCacheUtils.updateAndCacheResource(
        rollout,
        context,
        fresh -> withProgress(fresh, read, planned),
        r -> context.getClient().resource(r).updateStatus());
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
