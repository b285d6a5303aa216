package dev.weir.rollout.plan;

import static dev.weir.rollout.plan.PlannerFixtures.V1;
import static dev.weir.rollout.plan.PlannerFixtures.V2;
import static dev.weir.rollout.plan.PlannerFixtures.status;
import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.api.v1alpha1.BlueGreenStrategy;
import dev.weir.api.v1alpha1.PodMetadata;
import dev.weir.api.v1alpha1.RolloutSpec;
import dev.weir.api.v1alpha1.RolloutStrategy;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Which side's labels each revision wears, as a release of v2 over v1 goes on. */
class PodDecorationsTest {

  private static RolloutSpec spec() {
    var spec = new RolloutSpec();
    spec.strategy = new RolloutStrategy();
    spec.strategy.blueGreen = new BlueGreenStrategy();
    spec.strategy.blueGreen.activeMetadata = new PodMetadata();
    spec.strategy.blueGreen.activeMetadata.labels = Map.of("role", "active");
    spec.strategy.blueGreen.previewMetadata = new PodMetadata();
    spec.strategy.blueGreen.previewMetadata.labels = Map.of("role", "preview", "smoke", "yes");
    spec.strategy.blueGreen.previewMetadata.annotations = Map.of("preview.example/owner", "qa");
    return spec;
  }

  private static Map<String, String> withNulls(Object... pairs) {
    var map = new HashMap<String, String>();
    for (int i = 0; i < pairs.length; i += 2) {
      map.put((String) pairs[i], (String) pairs[i + 1]);
    }
    return map;
  }

  @Test
  void whilePreviewedTheNewRevisionWearsThePreviewLabelsAndTheStableOneTheActiveOnes() {
    var status = status().stable(V1).canary(V2).build();

    var preview = PodDecorations.of(spec(), status, V2);
    var active = PodDecorations.of(spec(), status, V1);

    assertThat(preview.labels()).isEqualTo(Map.of("role", "preview", "smoke", "yes"));
    assertThat(preview.annotations()).isEqualTo(Map.of("preview.example/owner", "qa"));
    assertThat(active.labels()).isEqualTo(withNulls("role", "active", "smoke", null));
    assertThat(active.annotations()).isEqualTo(withNulls("preview.example/owner", null));
  }

  @Test
  void afterTheSwitchTheNewRevisionShedsThePreviewLabelsAndTheOldOneShedsEverything() {
    var status = status().stable(V1).canary(V2).activeSelector(V2).build();

    var switched = PodDecorations.of(spec(), status, V2);
    var old = PodDecorations.of(spec(), status, V1);

    assertThat(switched.labels()).isEqualTo(withNulls("role", "active", "smoke", null));
    assertThat(old.labels()).isEqualTo(withNulls("role", null, "smoke", null));
    assertThat(old.appliedTo(Map.of("app", "checkout"), Map.of())).isTrue();
    assertThat(switched.appliedTo(Map.of("role", "preview", "smoke", "yes"), Map.of())).isFalse();
  }

  @Test
  void aCanaryHasNoDecorations() {
    var spec = spec();
    spec.strategy.blueGreen = null;
    assertThat(PodDecorations.of(spec, status().stable(V1).canary(V2).build(), V2).isEmpty())
        .isTrue();
  }
}
