package dev.weir.rollout;

import static dev.weir.rollout.PlannerFixtures.*;
import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.rollout.Action.SetWeight;
import org.junit.jupiter.api.Test;

class CanaryPlannerTest {

  private final CanaryPlanner planner = new CanaryPlanner();

  @Test
  void debugStepZero() {
    var spec = classicSpec();
    String v2 = "v2hash";
    var status = status("v1", v2, 0, 0);
    var obs =
        new Observation(
            NOW, v2, revisions(ready("v1", 5, 1), ready(v2, 1, 2)), traffic(0, "v1", v2));
    var plan = planner.plan(spec, 2, status, obs);
    System.out.println(plan);
    assertThat(plan.actions()).containsExactly(new SetWeight(10));
  }
}
