package dev.weir.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.rollout.plan.Action;
import dev.weir.rollout.plan.Action.Pin;
import dev.weir.rollout.plan.Action.ScaleRevision;
import dev.weir.rollout.plan.Action.SetWeight;
import dev.weir.traffic.Side;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * When the status is written before the actions of a planning pass: before traffic moves, forward
 * or back to stable for an abort (a controller killed right after the traffic write must find it
 * recorded as its own), and not for actions that move no traffic.
 */
class StatusWriterTest {

  @Test
  void aWeightOrASelectorIsRecordedBeforeItIsWritten() {
    assertThat(StatusWriter.recordsFirst(List.of(new SetWeight(20)))).isTrue();
    assertThat(StatusWriter.recordsFirst(List.of(new Pin(Side.STABLE, "v2")))).isTrue();
    assertThat(
            StatusWriter.recordsFirst(
                List.<Action>of(new ScaleRevision("v2", 2, null), new SetWeight(20))))
        .isTrue();
  }

  @Test
  void actionsThatMoveNoTrafficAreRecordedAtTheEndOfTheReconcile() {
    assertThat(StatusWriter.recordsFirst(List.of(new ScaleRevision("v2", 2, null)))).isFalse();
    assertThat(StatusWriter.recordsFirst(List.of())).isFalse();
  }
}
