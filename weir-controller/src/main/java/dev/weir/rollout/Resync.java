package dev.weir.rollout;

import dev.weir.api.v1alpha1.Rollout;
import java.time.Duration;
import java.util.SplittableRandom;

/**
 * When an idle rollout is reconciled again. Every rollout is reconciled at start, so with one
 * interval for all the whole fleet would come due within the same minute every interval, and the
 * wake-ups of releases whose pauses end then would wait behind it. Each rollout's resync comes
 * earlier by its own share of {@code jitter} of the interval, fixed by its uid: the fleet's resyncs
 * spread over that fraction at once, and drift further apart with each period.
 */
public record Resync(Duration interval, double jitter) {

  /** Five minutes, up to a fifth earlier: the controller's defaults. */
  public static final Resync DEFAULT = new Resync(Duration.ofMinutes(5), 0.2);

  public Resync {
    if (interval.isNegative() || interval.isZero()) {
      throw new IllegalArgumentException("resync interval must be positive: " + interval);
    }
    if (jitter < 0 || jitter >= 1) {
      throw new IllegalArgumentException("resync jitter must be in [0, 1): " + jitter);
    }
  }

  /** How long this rollout waits, idle, before its next reconcile. */
  Duration after(Rollout rollout) {
    var meta = rollout.getMetadata();
    String identity =
        meta.getUid() != null ? meta.getUid() : meta.getNamespace() + "/" + meta.getName();
    // A share in [0, 1) of the jitter, the same for this rollout every time; the hash is mixed, as
    // names that differ in their last character have neighbouring hashes.
    double share = new SplittableRandom(identity.hashCode()).nextDouble();
    long millis = interval.toMillis();
    return Duration.ofMillis(millis - Math.round(millis * jitter * share));
  }
}
