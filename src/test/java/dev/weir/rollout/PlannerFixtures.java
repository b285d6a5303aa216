package dev.weir.rollout;

import dev.weir.api.v1alpha1.Rollout;
import dev.weir.api.v1alpha1.RolloutSpec;
import dev.weir.api.v1alpha1.RolloutStatus;
import dev.weir.testing.Manifests;
import dev.weir.traffic.Side;
import dev.weir.traffic.TrafficState;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Inputs for planner tables: the example rollout, revisions and traffic as a cluster would show.
 */
final class PlannerFixtures {

  static final Instant NOW = Instant.parse("2026-11-21T12:00:00Z");

  private PlannerFixtures() {}

  static RolloutSpec classicSpec() {
    return Manifests.load("examples/canary-istio/rollout.yaml", Rollout.class).getSpec();
  }

  static Revision ready(String hash, int replicas, long number) {
    return new Revision(
        hash, "checkout-" + hash, replicas, replicas, replicas, replicas, number, null);
  }

  static Revision unready(String hash, int replicas, long number) {
    return new Revision(hash, "checkout-" + hash, replicas, replicas, 0, 0, number, null);
  }

  static Map<String, Revision> revisions(Revision... revisions) {
    var map = new HashMap<String, Revision>();
    for (var r : revisions) {
      map.put(r.hash(), r);
    }
    return map;
  }

  static TrafficState traffic(Integer canaryWeight, String stablePin, String canaryPin) {
    return new TrafficState(
        canaryWeight,
        Map.of(Side.STABLE, Set.of(stablePin), Side.CANARY, Set.of(canaryPin)),
        List.of());
  }

  static RolloutStatus status(String stable, String current, int step, int weight) {
    var status = new RolloutStatus();
    status.stableRS = stable;
    status.currentPodHash = current;
    status.currentStepIndex = step;
    status.currentWeight = weight;
    status.verifiedWeight = weight;
    status.progressedAt = NOW.minusSeconds(5).toString();
    return status;
  }
}
