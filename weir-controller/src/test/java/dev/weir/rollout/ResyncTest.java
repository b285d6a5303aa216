package dev.weir.rollout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weir.api.v1alpha1.Rollout;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.time.Duration;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * A fleet reconciled together at start comes due spread over the jitter, each rollout at its own.
 */
class ResyncTest {

  private static final Resync FIVE_MINUTES_A_FIFTH = new Resync(Duration.ofMinutes(5), 0.2);

  @Test
  void aRolloutComesDueAtTheSameMomentOfItsPeriodEveryTime() {
    var rollout = rollout("3f1e2d7c-0000-4000-8000-000000000042");

    assertThat(FIVE_MINUTES_A_FIFTH.after(rollout)).isEqualTo(FIVE_MINUTES_A_FIFTH.after(rollout));
  }

  @Test
  void aThousandRolloutsComeDueSpreadOverTheLastFifthOfTheInterval() {
    var delays =
        IntStream.range(0, 1000)
            .mapToObj(i -> FIVE_MINUTES_A_FIFTH.after(rollout("uid-" + i)).toMillis())
            .toList();

    assertThat(delays).allMatch(ms -> ms >= 240_000 && ms <= 300_000);
    // Every ten seconds of the sixty gets some of them, none more than a third.
    var byTenSeconds =
        IntStream.range(0, 6)
            .mapToObj(b -> delays.stream().filter(ms -> ms / 10_000 == 24 + b).count())
            .toList();
    assertThat(byTenSeconds).allMatch(n -> n > 100 && n < 333);
  }

  @Test
  void noJitterIsTheIntervalItself() {
    assertThat(new Resync(Duration.ofMinutes(5), 0).after(rollout("any")))
        .isEqualTo(Duration.ofMinutes(5));
  }

  @Test
  void refusesAJitterOfTheWholeIntervalAndAnIntervalOfNothing() {
    assertThatThrownBy(() -> new Resync(Duration.ofMinutes(5), 1))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Resync(Duration.ZERO, 0.2))
        .isInstanceOf(IllegalArgumentException.class);
  }

  private static Rollout rollout(String uid) {
    var rollout = new Rollout();
    rollout.setMetadata(
        new ObjectMetaBuilder().withNamespace("fleet").withName("app").withUid(uid).build());
    return rollout;
  }
}
