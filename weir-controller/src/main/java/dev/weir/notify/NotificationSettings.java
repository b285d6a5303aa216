package dev.weir.notify;

import dev.weir.analysis.AllowedAddresses;
import java.time.Duration;
import java.util.List;

/**
 * What the operator decided about notifications, in the controller's configuration.
 *
 * @param allowed where a destination may be sent values from Secrets (a signature, a header)
 * @param timeout how long one delivery may take before it counts as failed and is retried
 * @param firstRetry the wait before the first retry; each later wait doubles, up to {@code
 *     longestRetry}
 * @param attempts how many times a notice is tried before it is given up
 * @param dedupWindow how long a notice already recorded is not sent again
 */
public record NotificationSettings(
    AllowedAddresses allowed,
    Duration timeout,
    Duration firstRetry,
    Duration longestRetry,
    int attempts,
    Duration dedupWindow) {

  /** The defaults of the chart: nothing allowed to receive Secrets' values. */
  public static NotificationSettings defaults() {
    return new NotificationSettings(
        AllowedAddresses.of(List.of()),
        Duration.ofSeconds(10),
        Duration.ofSeconds(1),
        Duration.ofMinutes(5),
        10,
        Duration.ofHours(1));
  }

  /** The same settings, allowing Secrets' values to go to these URL prefixes. */
  public NotificationSettings allowing(List<String> prefixes) {
    var all = new java.util.ArrayList<>(allowed.prefixes());
    all.addAll(prefixes);
    return new NotificationSettings(
        AllowedAddresses.of(all), timeout, firstRetry, longestRetry, attempts, dedupWindow);
  }

  /** The same settings with these delivery timings. */
  public NotificationSettings timing(Duration timeout, Duration firstRetry, Duration longest) {
    return new NotificationSettings(allowed, timeout, firstRetry, longest, attempts, dedupWindow);
  }

  /**
   * The wait before retry number {@code retry} (1 for the first): doubling from {@code firstRetry},
   * never longer than {@code longestRetry}.
   */
  public Duration backoff(int retry) {
    Duration wait = firstRetry;
    for (int i = 1; i < retry && wait.compareTo(longestRetry) < 0; i++) {
      wait = wait.multipliedBy(2);
    }
    return wait.compareTo(longestRetry) > 0 ? longestRetry : wait;
  }
}
