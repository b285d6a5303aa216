package dev.weir.rollout.plan;

/**
 * Something the planner wants recorded on the Rollout: a Kubernetes Event, and for promotions and
 * aborts a count in Weir's metrics.
 *
 * @param reason what happened
 * @param message what a human reads
 * @param cause why, for {@link EventReason#Aborted}; null otherwise
 */
public record RolloutEvent(EventReason reason, String message, AbortCause cause) {

  public static RolloutEvent of(EventReason reason, String message) {
    return new RolloutEvent(reason, message, null);
  }

  public static RolloutEvent aborted(AbortCause cause, String message) {
    return new RolloutEvent(EventReason.Aborted, message, cause);
  }
}
