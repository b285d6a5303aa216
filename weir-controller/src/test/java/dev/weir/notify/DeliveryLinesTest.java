package dev.weir.notify;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.api.v1alpha1.NotificationTrigger;
import org.junit.jupiter.api.Test;

/** Notices to one destination about one rollout, one at a time, in the order told. */
class DeliveryLinesTest {

  private static LedgerEntry entry(NotificationTrigger trigger, String destination) {
    return new LedgerEntry(
        Notices.of(trigger, trigger.name(), "9b2e4f1c"),
        "on-call",
        destination,
        LedgerEntry.State.pending,
        "2026-01-01T12:00:00Z",
        0);
  }

  @Test
  void aLaterNoticeWaitsForTheOneBeforeItToTheSameDestination() {
    var lines = new DeliveryLines();
    var started = entry(NotificationTrigger.ReleaseStarted, "github");
    var promoted = entry(NotificationTrigger.Promoted, "github");
    var elsewhere = entry(NotificationTrigger.Promoted, "slack");

    assertThat(lines.join(started)).as("first of its line: sent now").isTrue();
    assertThat(lines.join(promoted)).as("behind the pending status").isFalse();
    assertThat(lines.join(elsewhere)).as("another destination: its own line").isTrue();

    assertThat(lines.settled(started.settled(LedgerEntry.State.sent, 3))).contains(promoted);
    assertThat(lines.settled(promoted.settled(LedgerEntry.State.failed, 10))).isEmpty();
    assertThat(lines.join(entry(NotificationTrigger.Aborted, "github"))).isTrue();
  }

  @Test
  void anEntryNotInALineSettlesNothing() {
    assertThat(new DeliveryLines().settled(entry(NotificationTrigger.Aborted, "github"))).isEmpty();
  }
}
