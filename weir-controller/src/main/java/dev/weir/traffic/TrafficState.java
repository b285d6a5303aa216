package dev.weir.traffic;

import dev.weir.api.v1alpha1.SpecProblem;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a router read back from the cluster.
 *
 * @param canaryWeight the canary's share of the traffic when every managed route agrees and the
 *     weights sum to 100; {@code null} otherwise (nothing verified)
 * @param pinned for each side, the pod-template hashes its routing targets (Service selectors,
 *     DestinationRule subsets) select; an empty set means the side has no target to pin
 * @param problems references that do not resolve: the routes, services or subsets named in the spec
 *     that the cluster lacks
 * @param baselineWeight the baseline's share when every managed route agrees (0 for a rollout
 *     without baselineService); {@code null} otherwise
 */
public record TrafficState(
    Integer canaryWeight,
    Map<Side, Set<String>> pinned,
    List<SpecProblem> problems,
    Integer baselineWeight) {

  /** What a router without a baseline read back. */
  public TrafficState(
      Integer canaryWeight, Map<Side, Set<String>> pinned, List<SpecProblem> problems) {
    this(canaryWeight, pinned, problems, 0);
  }

  public static TrafficState none() {
    return new TrafficState(null, Map.of(), List.of());
  }

  public Set<String> pinned(Side side) {
    return pinned.getOrDefault(side, Set.of());
  }
}
