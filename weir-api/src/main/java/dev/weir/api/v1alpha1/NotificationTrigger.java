package dev.weir.api.v1alpha1;

/**
 * What happened to a release, as a {@link NotificationPolicy} listens for it. Each is told once per
 * revision and step (see docs/notifications.md for the event each stands for).
 */
public enum NotificationTrigger {
  /** A new revision starts its release at step 0. */
  ReleaseStarted,
  /** A setWeight step's weight is set and verified. */
  StepReached,
  /** The release waits at a pause without a duration for {@code kubectl weir promote}. */
  AwaitingPromotion,
  /** An analysis was inconclusive: the release is paused for a human. */
  AnalysisInconclusive,
  /** The release was aborted: all traffic back on stable (the cause says why). */
  Aborted,
  /** The new revision is stable. */
  Promoted,
  /** spec.template went back to the stable revision mid-release. */
  RolledBack,
  /** A wait outlasted progressDeadlineSeconds (without progressDeadlineAbort: held, Degraded). */
  ProgressDeadlineExceeded
}
