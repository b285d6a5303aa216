package dev.weir.rollout;

import static dev.weir.testing.RolloutAssert.awaitRollout;
import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.testing.ClassicCanary;
import dev.weir.testing.LostStatusWrite;
import dev.weir.testing.MockTier;
import dev.weir.testing.RolloutScenario;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The controller dies after a reconcile moved traffic and before it wrote the status that records
 * it ({@link LostStatusWrite} refuses that status write). The next reconcile must take the weight
 * in the cluster for its own: a restarted controller never moves traffic back, and tells no step's
 * Event twice.
 */
class LostStatusWriteMockTierTest extends ReleaseStories {

  private static final LostStatusWrite LOSING = new LostStatusWrite(3);

  LostStatusWriteMockTierTest() {
    super(new MockTier(LOSING));
  }

  @Test
  void aStatusWriteLostAfterEachWeightWriteNeverMovesTheWeightBack() {
    startKubeletAndWeir(java.util.Optional.empty(), 0);
    checkout = ClassicCanary.givenStableV1(client(), r -> {});
    String v2 = ClassicCanary.whenV2PausesAtTenPercent(checkout);
    checkout.promote();
    awaitRollout(checkout, "v2 promoted", r -> r.isHealthyOn(v2));

    assertThat(LOSING.written()).as("VirtualService writes").isNotEmpty();
    assertThat(LOSING.lost()).as("status writes lost after a weight write").isPositive();
    var weights = new ArrayList<Integer>();
    for (var vs : LOSING.written()) {
      int w = RolloutScenario.canaryWeight(vs, "primary", "checkout-canary");
      if (weights.isEmpty() || weights.get(weights.size() - 1) != w) {
        weights.add(w);
      }
    }
    assertThat(weights)
        .as("the canary weights written, in order")
        .isEqualTo(List.of(10, 30, 60, 100, 0));
    assertThat(
            client().v1().events().inNamespace("shop").list().getItems().stream()
                .filter(e -> "WeightSet".equals(e.getReason()))
                .map(e -> e.getMessage())
                .toList())
        .as("each step's weight told once")
        .containsExactlyInAnyOrder(
            "canary weight 10% at step 1/6",
            "canary weight 30% at step 3/6", "canary weight 60% at step 5/6");
  }
}
