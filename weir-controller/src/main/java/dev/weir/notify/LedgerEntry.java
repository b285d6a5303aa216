package dev.weir.notify;

import java.time.Instant;

/**
 * What the ledger knows of one notice to one destination of one policy: pending until the
 * destination accepted it (sent) or it was given up (failed).
 *
 * @param recorded when the notice was first recorded: the start of its deduplication window
 */
public record LedgerEntry(
    Notice notice, String policy, String destination, State state, String recorded, int attempts) {

  public enum State {
    pending,
    sent,
    failed
  }

  /**
   * The entry's key in the rollout's ledger, valid as a ConfigMap key: revision, trigger, step,
   * policy, destination (the ledger is the rollout's, so its uid is left out).
   */
  public String key() {
    return notice.revision()
        + "."
        + notice.trigger()
        + "."
        + notice.step()
        + "."
        + policy
        + "."
        + destination;
  }

  public LedgerEntry settled(State state, int attempts) {
    return new LedgerEntry(notice, policy, destination, state, recorded, attempts);
  }

  Instant recordedAt() {
    return Instant.parse(recorded);
  }
}
