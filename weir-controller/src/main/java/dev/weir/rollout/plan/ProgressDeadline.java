package dev.weir.rollout.plan;

import dev.weir.api.v1alpha1.RolloutSpec;
import dev.weir.api.v1alpha1.RolloutStatus;
import java.time.Instant;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * progressDeadlineSeconds, the one rule every wait of every state follows: a wait may last this
 * long after the last progress (status.progressedAt), after an abort (for the abort's own traffic),
 * or after the later moment a wait names itself (the measurement an analysis is due to take). While
 * the rollout is paused (a pause step, spec.paused, an analysis verdict held for a human, a
 * blue-green release waiting for promote) the clock stands still: there is no deadline.
 *
 * <p>The planner judges its waits by it, and the reconciler bounds the measurement the release
 * waits on by it, so that a provider that never answers cannot hold a reconcile past the deadline.
 */
public final class ProgressDeadline {

  static final int DEFAULT_SECONDS = 600;

  private ProgressDeadline() {}

  /** progressDeadlineSeconds, 600 when unset. */
  public static int seconds(RolloutSpec spec) {
    return spec.progressDeadlineSeconds == null ? DEFAULT_SECONDS : spec.progressDeadlineSeconds;
  }

  /**
   * When a wait runs out that could not have begun before {@code since} (null: only the last
   * progress counts); empty while the rollout is paused. A status that records no progress yet
   * starts the clock {@code now}.
   */
  public static Optional<Instant> limit(
      RolloutSpec spec, RolloutStatus status, Instant since, Instant now) {
    if (paused(spec, status)) {
      return Optional.empty();
    }
    Instant start = lastProgress(status, since).orElse(now);
    return Optional.of(start.plusSeconds(Math.max(0, seconds(spec))));
  }

  static boolean paused(RolloutSpec spec, RolloutStatus status) {
    return Boolean.TRUE.equals(spec.paused)
        || (status.pauseConditions != null && !status.pauseConditions.isEmpty());
  }

  private static Optional<Instant> lastProgress(RolloutStatus status, Instant since) {
    return Stream.of(instant(status.progressedAt), instant(status.abortedAt), since)
        .filter(i -> i != null)
        .max(Instant::compareTo);
  }

  // A hand-edited time that does not parse counts as no time: the planner never throws.
  private static Instant instant(String text) {
    if (text == null) {
      return null;
    }
    try {
      return Instant.parse(text);
    } catch (java.time.format.DateTimeParseException e) {
      return null;
    }
  }
}
