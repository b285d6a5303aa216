package dev.weir.rollout.plan;

import dev.weir.api.v1alpha1.Rollout;
import dev.weir.api.v1alpha1.RolloutSpec;
import dev.weir.api.v1alpha1.RolloutStatus;
import dev.weir.traffic.Side;
import dev.weir.traffic.TrafficState;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
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

  /** The rollout of examples/canary-istio, read as a user applies it. */
  static RolloutSpec classicSpec() {
    try (InputStream in = Files.newInputStream(Path.of("examples/canary-istio/rollout.yaml"))) {
      return Serialization.unmarshal(in, Rollout.class).getSpec();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
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
