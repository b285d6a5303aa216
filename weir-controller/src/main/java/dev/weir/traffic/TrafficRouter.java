package dev.weir.traffic;

import dev.weir.api.v1alpha1.Rollout;
import java.util.List;

/**
 * Moves traffic between the stable and the canary revision. A router writes only what it manages
 * (route weights, subset labels), as Weir's own field manager.
 */
public interface TrafficRouter {

  /** Reads the weights and pins back from the cluster. */
  TrafficState observe(Rollout rollout);

  /** Writes the canary weight (the stable side gets the rest) on every managed route. */
  void setWeight(Rollout rollout, int canaryWeight);

  /**
   * Writes the canary's and the baseline's weights (stable gets the rest). Only a router that
   * routes to a baseline (the VirtualService's, with baselineService) overrides it; the others
   * write the canary's alone, which is all a rollout without a baseline asks for.
   */
  default void setWeights(Rollout rollout, int canaryWeight, int baselineWeight) {
    setWeight(rollout, canaryWeight);
  }

  /**
   * Makes the routes Weir named (setHeaderRoute, setMirrorRoute) exactly these, in this order and
   * ahead of the user's routes, on every managed VirtualService or route: the others Weir named are
   * removed, nothing else is touched. A router that cannot route by request has none.
   */
  default void setNamedRoutes(Rollout rollout, List<NamedRoute> routes) {}

  /** Points the side's routing targets (selectors, subsets) at the revision with this hash. */
  void pin(Rollout rollout, Side side, String podTemplateHash);

  /**
   * Takes the pod-template hash off the side's routing targets, so that they select every pod of
   * the application again, whoever runs it (the hand-back to a Deployment).
   */
  default void unpin(Rollout rollout, Side side) {}
}
