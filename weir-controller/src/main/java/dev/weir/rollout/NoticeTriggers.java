package dev.weir.rollout;

import dev.weir.api.v1alpha1.NotificationTrigger;
import dev.weir.rollout.plan.RolloutEvent;
import java.util.Optional;

/**
 * Which of the planner's events a notification policy can listen for, and as which trigger. Each
 * event is at most one trigger: an abort at the progress deadline is an {@code Aborted} (its
 * message says why), the deadline passing without an abort is {@code ProgressDeadlineExceeded}.
 */
final class NoticeTriggers {

  private NoticeTriggers() {}

  static Optional<NotificationTrigger> of(RolloutEvent event) {
    return Optional.ofNullable(
        switch (event.reason()) {
          case NewRevision -> NotificationTrigger.ReleaseStarted;
          case WeightSet -> NotificationTrigger.StepReached;
          case AwaitingPromotion -> NotificationTrigger.AwaitingPromotion;
          case InconclusiveAnalysis -> NotificationTrigger.AnalysisInconclusive;
          case Aborted -> NotificationTrigger.Aborted;
          case Promoted -> NotificationTrigger.Promoted;
          case RolledBack -> NotificationTrigger.RolledBack;
          case ProgressDeadlineExceeded -> NotificationTrigger.ProgressDeadlineExceeded;
          default -> null;
        });
  }
}
