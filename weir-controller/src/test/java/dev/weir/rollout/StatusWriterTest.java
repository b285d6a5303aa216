package dev.weir.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.api.v1alpha1.RolloutStatus;
import dev.weir.rollout.plan.Action;
import dev.weir.rollout.plan.Action.Pin;
import dev.weir.rollout.plan.Action.ScaleRevision;
import dev.weir.rollout.plan.Action.SetWeight;
import dev.weir.traffic.Side;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * When the status is written before the actions of a planning pass: before traffic moves forward (a
 * controller killed right after the write must find it recorded as its own), never before an
 * abort's return to stable (which must not wait, and which a restarted controller repeats).
 */
class StatusWriterTest {

  @Test
  void aWeightOrASelectorIsRecordedBeforeItIsWritten() {
    var stepping = new RolloutStatus();
    stepping.currentWeight = 20;

    assertThat(StatusWriter.recordsFirst(List.of(new SetWeight(20)), stepping)).isTrue();
    assertThat(StatusWriter.recordsFirst(List.of(new Pin(Side.STABLE, "v2")), stepping)).isTrue();
    assertThat(
            StatusWriter.recordsFirst(
                List.<Action>of(new ScaleRevision("v2", 2, null), new SetWeight(20)), stepping))
        .isTrue();
  }

  @Test
  void actionsThatMoveNoTrafficAreRecordedAtTheEndOfTheReconcile() {
    assertThat(
            StatusWriter.recordsFirst(
                List.of(new ScaleRevision("v2", 2, null)), new RolloutStatus()))
        .isFalse();
    assertThat(StatusWriter.recordsFirst(List.of(), new RolloutStatus())).isFalse();
  }

  @Test
  void anAbortMovesTrafficFirst() {
    var aborting = new RolloutStatus();
    aborting.abort = true;

    assertThat(StatusWriter.recordsFirst(List.of(new SetWeight(0)), aborting)).isFalse();
  }
}
