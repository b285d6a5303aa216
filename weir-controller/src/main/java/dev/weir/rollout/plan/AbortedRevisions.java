package dev.weir.rollout.plan;

import dev.weir.api.v1alpha1.AbortedRevision;
import dev.weir.api.v1alpha1.RolloutStatus;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The revisions whose release was aborted, kept in {@code status.abortedRevisions} after their
 * release is over (newest first, at most {@link #LIMIT}). Under GitOps the aborted template is
 * still in git: a sync that declares it again, after the stable one or another, must not start the
 * release that already failed. Such a declaration is held: the rollout stays aborted on stable,
 * Degraded with reason {@code RevisionAborted}, until {@code kubectl weir retry} (which takes the
 * revision off the list) or a new commit.
 */
final class AbortedRevisions {

  /** How many aborted revisions status remembers; the oldest is forgotten first. */
  static final int LIMIT = 10;

  /** The reason of the conditions while a declared revision is held. */
  static final String HELD = "RevisionAborted";

  private AbortedRevisions() {}

  /** Records the abort of the revision in progress, replacing an older record of it. */
  static void record(PlanContext ctx, AbortCause cause, AnalysisRunView run) {
    var status = ctx.status;
    var entry = new AbortedRevision();
    entry.podTemplateHash = status.currentPodHash;
    entry.images = images(ctx);
    entry.abortedAt = status.abortedAt;
    entry.reason = cause.name();
    entry.message = status.abortMessage;
    if (run != null) {
      entry.analysisRun = run.name();
      entry.metric = run.decidingMetric();
      entry.value = run.decidingValue();
    }
    forget(status, entry.podTemplateHash);
    status.abortedRevisions.add(0, entry);
    while (status.abortedRevisions.size() > LIMIT) {
      status.abortedRevisions.remove(LIMIT);
    }
  }

  private static List<String> images(PlanContext ctx) {
    var template = ctx.spec.template;
    if (template == null || template.getSpec() == null) {
      return List.of();
    }
    return template.getSpec().getContainers().stream().map(c -> c.getImage()).toList();
  }

  static Optional<AbortedRevision> of(RolloutStatus status, String hash) {
    return status.abortedRevisions.stream()
        .filter(r -> r != null && hash != null && hash.equals(r.podTemplateHash))
        .findFirst();
  }

  /** Takes a revision off the list: it may be released again. */
  static void forget(RolloutStatus status, String hash) {
    status.abortedRevisions.removeIf(r -> r == null || Objects.equals(hash, r.podTemplateHash));
  }

  /**
   * A newly declared template equal to an aborted revision is held: aborted from the start, nothing
   * of it scaled, no weight moved. Said once, by an Event, when declared.
   *
   * @return whether the declared revision is held
   */
  static boolean hold(PlanContext ctx) {
    var status = ctx.status;
    var aborted = of(status, status.currentPodHash);
    if (aborted.isEmpty() || Objects.equals(status.currentPodHash, status.stableRS)) {
      return false;
    }
    status.abort = true;
    status.abortedAt = ctx.now().toString();
    status.abortMessage = heldMessage(ctx, aborted.get());
    ctx.event(RolloutEvent.of(EventReason.RevisionAborted, status.abortMessage));
    return true;
  }

  /**
   * Whether the aborted release is a held declaration rather than a release that was aborted: its
   * abort is later than the one recorded for the revision.
   */
  static boolean held(RolloutStatus status) {
    return of(status, status.currentPodHash)
        .map(r -> !Objects.equals(r.abortedAt, status.abortedAt))
        .orElse(false);
  }

  private static String heldMessage(PlanContext ctx, AbortedRevision aborted) {
    return "revision "
        + aborted.podTemplateHash
        + " was aborted at "
        + aborted.abortedAt
        + " ("
        + aborted.cause()
        + ") and is not released again: `kubectl weir retry "
        + ctx.observed.analysis().rollout()
        + "` releases it, a new commit declares another revision";
  }
}
