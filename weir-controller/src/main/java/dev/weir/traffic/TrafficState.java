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
 * @param namedRoutes the routes Weir named (setHeaderRoute, setMirrorRoute) as every managed
 *     VirtualService or route holds them, in their order; {@code null} when they differ from one
 *     object to the next (nothing verified)
 */
public record TrafficState(
    Integer canaryWeight,
    Map<Side, Set<String>> pinned,
    List<SpecProblem> problems,
    Integer baselineWeight,
    List<NamedRoute> namedRoutes) {

  /** What a router without a baseline or named routes read back. */
  public TrafficState(
      Integer canaryWeight, Map<Side, Set<String>> pinned, List<SpecProblem> problems) {
    this(canaryWeight, pinned, problems, 0, List.of());
  }

  /** What a router that writes no named routes read back. */
  public TrafficState(
      Integer canaryWeight,
      Map<Side, Set<String>> pinned,
      List<SpecProblem> problems,
      Integer baselineWeight) {
    this(canaryWeight, pinned, problems, baselineWeight, List.of());
  }

  /** What a router without a baseline read back. */
  public TrafficState(
      Integer canaryWeight,
      Map<Side, Set<String>> pinned,
      List<SpecProblem> problems,
      List<NamedRoute> namedRoutes) {
    this(canaryWeight, pinned, problems, 0, namedRoutes);
  }

  public static TrafficState none() {
    return new TrafficState(null, Map.of(), List.of());
  }

  public Set<String> pinned(Side side) {
    return pinned.getOrDefault(side, Set.of());
  }
}
