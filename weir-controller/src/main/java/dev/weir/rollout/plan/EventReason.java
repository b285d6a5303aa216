package dev.weir.rollout.plan;

/**
 * What happened to a rollout, as the reason of the Kubernetes Event that records it (what {@code
 * kubectl get events} shows and alerts select on). Each reason has one Event type.
 */
public enum EventReason {
  NewRevision(false),
  Superseded(false),
  RolledBack(false),
  Retried(false),
  StepPromoted(false),
  PromotedFull(false),
  PromotionApproved(false),
  WeightSet(false),
  WeightRestored(true),
  /** A setHeaderRoute or setMirrorRoute step's route read back as asked (or gone, when removed). */
  RouteSet(false),
  /** Someone else pointed a Service or subset elsewhere; Weir pointed it back. */
  SelectorRestored(true),
  PreviewReady(false),
  /** The release waits at a pause without a duration for a promote. */
  AwaitingPromotion(false),
  Switched(false),
  Promoted(false),
  AnalysisRunStarted(false),
  AnalysisPassed(false),
  AnalysisAccepted(false),
  InconclusiveAnalysis(true),
  /** A wait outlasted progressDeadlineSeconds; without progressDeadlineAbort the release holds. */
  ProgressDeadlineExceeded(true),
  Aborted(true),
  /** The declared template is a revision aborted before: it is held on stable, not released. */
  RevisionAborted(true),
  /** The aborted revision's revert was pushed to git (spec.gitWriteBack). */
  GitWriteBackCommitted(false),
  /** No revert was written: git no longer declared the aborted value. */
  GitWriteBackUnchanged(false),
  /** The revert could not be written to git. */
  GitWriteBackFailed(true),
  InvalidSpec(true),
  /** The API server refused Weir a request (a missing permission). */
  Forbidden(true),
  /** The API server failed a request otherwise. */
  ApiError(true);

  private final boolean warning;

  EventReason(boolean warning) {
    this.warning = warning;
  }

  /** Whether the Event is a Warning (else Normal). */
  public boolean warning() {
    return warning;
  }
}
