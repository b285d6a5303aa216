package dev.weir.notify;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Notices to one destination about one rollout go out one at a time, in the order they were told: a
 * commit status of {@code success} must not be overtaken by the {@code pending} before it being
 * retried, nor a PagerDuty resolve by the trigger it closes. Each line holds the entries not yet
 * settled; only its head is being sent.
 */
final class DeliveryLines {

  private final Map<String, Deque<LedgerEntry>> lines = new HashMap<>();

  private static String line(LedgerEntry entry) {
    return entry.notice().uid() + "/" + entry.policy() + "/" + entry.destination();
  }

  /** Puts an entry at the end of its line; true when it is the head, to be sent now. */
  synchronized boolean join(LedgerEntry entry) {
    var queue = lines.computeIfAbsent(line(entry), k -> new ArrayDeque<>());
    queue.add(entry);
    return queue.size() == 1;
  }

  /**
   * Takes a settled entry (sent, given up, refused) from the head of its line; returns the entry to
   * send next, if one waits.
   */
  synchronized Optional<LedgerEntry> settled(LedgerEntry entry) {
    var queue = lines.get(line(entry));
    if (queue == null) {
      return Optional.empty();
    }
    queue.removeIf(e -> e.key().equals(entry.key()));
    if (queue.isEmpty()) {
      lines.remove(line(entry));
      return Optional.empty();
    }
    return Optional.of(queue.peek());
  }

  /** Forgets every line (the notifier stops: what was waiting stays pending in the ledgers). */
  synchronized void clear() {
    lines.clear();
  }
}
