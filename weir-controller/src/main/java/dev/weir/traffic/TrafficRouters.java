package dev.weir.traffic;

import dev.weir.api.v1alpha1.Rollout;
import dev.weir.api.v1alpha1.SpecProblem;
import dev.weir.traffic.gatewayapi.GatewayApiRouter;
import dev.weir.traffic.istio.DestinationRuleRouter;
import dev.weir.traffic.istio.VirtualServiceRouter;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The routers a rollout's spec asks for, acting as one: Services always (when named), the Istio
 * VirtualServices and DestinationRule or the Gateway API HTTPRoutes when trafficRouting names them.
 * What another rollout already writes ({@link TrafficClaims}) is observed as a problem of the spec,
 * like a missing Service.
 */
public final class TrafficRouters implements TrafficRouter {

  private final List<TrafficRouter> routers;
  private final TrafficRouter weights;
  private final List<SpecProblem> claimed;

  private TrafficRouters(
      List<TrafficRouter> routers, TrafficRouter weights, List<SpecProblem> claimed) {
    this.routers = routers;
    this.weights = weights;
    this.claimed = claimed;
  }

  /**
   * @param objects where the routers read what they route by
   * @param others rollouts that may write some of the same traffic (of any namespace)
   */
  public static TrafficRouters forRollout(
      KubernetesClient client,
      TrafficObjects objects,
      Rollout rollout,
      Collection<Rollout> others) {
    var routers = new ArrayList<TrafficRouter>();
    var strategy = rollout.getSpec() == null ? null : rollout.getSpec().strategy;
    if (strategy == null || (strategy.canary == null) == (strategy.blueGreen == null)) {
      // An invalid spec: nothing to observe.
      return new TrafficRouters(routers, null, List.of());
    }
    var claimed = TrafficClaims.problems(rollout, others);
    routers.add(new ServiceRouter(client, objects));
    TrafficRouter weights = null;
    var routing = ReleaseSides.routing(rollout);
    if (routing != null && routing.istio != null) {
      weights = new VirtualServiceRouter(client, objects);
      routers.add(weights);
      if (routing.istio.destinationRule != null) {
        routers.add(new DestinationRuleRouter(client, objects));
      }
    } else if (routing != null && routing.gatewayAPI != null) {
      weights = new GatewayApiRouter(client, objects);
      routers.add(weights);
    }
    return new TrafficRouters(routers, weights, claimed);
  }

  @Override
  public TrafficState observe(Rollout rollout) {
    var pinned = new EnumMap<Side, Set<String>>(Side.class);
    var problems = new ArrayList<SpecProblem>(claimed);
    Integer canaryWeight = null;
    Integer baselineWeight = 0;
    List<NamedRoute> namedRoutes = List.of();
    for (var router : routers) {
      var state = router.observe(rollout);
      problems.addAll(state.problems());
      state
          .pinned()
          .forEach(
              (side, hashes) -> pinned.computeIfAbsent(side, s -> new HashSet<>()).addAll(hashes));
      if (router == weights) {
        canaryWeight = state.canaryWeight();
        baselineWeight = state.baselineWeight();
        namedRoutes = state.namedRoutes();
      }
    }
    return new TrafficState(canaryWeight, pinned, problems, baselineWeight, namedRoutes);
  }

  @Override
  public void setWeight(Rollout rollout, int canaryWeight) {
    setWeights(rollout, canaryWeight, 0);
  }

  @Override
  public void setWeights(Rollout rollout, int canaryWeight, int baselineWeight) {
    if (weights != null) {
      weights.setWeights(rollout, canaryWeight, baselineWeight);
    }
  }

  @Override
  public void setNamedRoutes(Rollout rollout, List<NamedRoute> routes) {
    if (weights != null) {
      weights.setNamedRoutes(rollout, routes);
    }
  }

  @Override
  public void pin(Rollout rollout, Side side, String podTemplateHash) {
    for (var router : routers) {
      router.pin(rollout, side, podTemplateHash);
    }
  }

  @Override
  public void unpin(Rollout rollout, Side side) {
    for (var router : routers) {
      router.unpin(rollout, side);
    }
  }
}
