package dev.weir.rollout;

import static dev.weir.testing.RolloutAssert.awaitRollout;
import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.testing.LostStatusWrite;
import dev.weir.testing.MockTier;
import dev.weir.testing.RolloutScenario;
import dev.weir.testing.mesh.TrafficSimulator;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The controller dies right after an abort moved all traffic back to stable, before the status that
 * records the abort is written ({@link LostStatusWrite} refuses it). The canary's failed analysis
 * is still there, so the next reconcile aborts again; it must not first give the canary its traffic
 * back, as if someone else had taken it away.
 */
class LostAbortWriteMockTierTest extends FaultStories {

  private static final LostStatusWrite LOSING =
      new LostStatusWrite(
          vs -> RolloutScenario.canaryWeight(vs, "primary", "checkout-canary") == 0, 1);

  LostAbortWriteMockTierTest() {
    super(new MockTier(LOSING));
  }

  @Test
  void anAbortWhoseStatusWriteIsLostNeverGivesTheCanaryItsTrafficBack() {
    givenStableV1(BUSY);
    String v1 = checkout.status().stableRS;
    whenV2IsReleased(Map.of(TrafficSimulator.ERROR_RATE, "0.2"));

    awaitRollout(checkout, "v2 aborted", r -> r.isAbortedBackTo(v1).withCanaryWeight(0));
    var weights = new ArrayList<Integer>();
    for (var vs : LOSING.written()) {
      int w = RolloutScenario.canaryWeight(vs, "primary", "checkout-canary");
      if (weights.isEmpty() || weights.get(weights.size() - 1) != w) {
        weights.add(w);
      }
    }
    assertThat(weights).as("the canary weights written, in order").isEqualTo(List.of(20, 0));
  }
}
