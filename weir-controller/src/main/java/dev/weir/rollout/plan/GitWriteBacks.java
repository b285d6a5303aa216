package dev.weir.rollout.plan;

import dev.weir.api.v1alpha1.AbortedRevision;
import dev.weir.api.v1alpha1.GitWriteBackStatus;
import dev.weir.api.v1alpha1.GitWriteBackStatus.Phase;
import java.time.Duration;
import java.util.Objects;

/**
 * When an abort is written back to git (spec.gitWriteBack, docs/gitops.md): once per aborted
 * revision, recorded in its {@code status.abortedRevisions[].writeBack}. The abort of the revision
 * git declares makes it {@code Pending}; while pending, the reconciler is asked to write it (off
 * the reconcile, so the same request may come again: the writer does one at a time per revision,
 * and finds its own commit if a restart makes it ask again), and the outcome it observes is
 * recorded once, with an Event. A revision whose write-back ended, however it ended, is never
 * written again, not even when git declares it again later and it is held.
 *
 * <pre>
 *   (none) --abort of the declared revision--> Pending --written--> Committed
 *                                                      --field moved on--> Unchanged
 *                                                      --refused, unreachable--> Failed
 * </pre>
 */
final class GitWriteBacks {

  /** How soon a reconcile looks again for the outcome of a write-back under way. */
  static final Duration POLL = Duration.ofSeconds(1);

  private GitWriteBacks() {}

  static void plan(PlanContext ctx) {
    var status = ctx.status;
    for (AbortedRevision revision : status.abortedRevisions) {
      if (revision.writeBack == null || !revision.writeBack.pending()) {
        continue;
      }
      var ended = ctx.observed.gitWriteBacks().ended().get(revision.podTemplateHash);
      if (ended != null && !ended.pending()) {
        revision.writeBack = ended;
        ctx.event(RolloutEvent.of(reasonOf(ended.phase), told(revision, ended)));
      }
    }
    String declared = status.currentPodHash;
    var current = AbortedRevisions.of(status, declared).orElse(null);
    var git = ctx.spec.gitWriteBack;
    boolean aborted =
        Boolean.TRUE.equals(status.abort) && !Objects.equals(declared, status.stableRS);
    if (git != null && aborted && current != null && current.writeBack == null) {
      current.writeBack =
          GitWriteBackStatus.of(
              Phase.Pending,
              "restoring the stable revision's image in " + git.path + " of " + git.repoURL,
              ctx.now().toString());
    }
    for (AbortedRevision revision : status.abortedRevisions) {
      if (revision.writeBack == null || !revision.writeBack.pending()) {
        continue;
      }
      if (git == null) {
        revision.writeBack =
            GitWriteBackStatus.of(
                Phase.Failed,
                "spec.gitWriteBack was removed before the write-back was made",
                ctx.now().toString());
        continue;
      }
      ctx.actions.add(
          new Action.WriteBack(
              revision.podTemplateHash, revision.images, status.stableRS, revision.cause()));
      ctx.requeueIn(POLL);
    }
  }

  private static EventReason reasonOf(Phase phase) {
    return switch (phase) {
      case Committed -> EventReason.GitWriteBackCommitted;
      case Unchanged -> EventReason.GitWriteBackUnchanged;
      default -> EventReason.GitWriteBackFailed;
    };
  }

  private static String told(AbortedRevision revision, GitWriteBackStatus ended) {
    return "write-back of aborted revision " + revision.podTemplateHash + ": " + ended.message;
  }
}
