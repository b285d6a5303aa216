package dev.weir.rollout;

import dev.weir.testing.RealTier;

/**
 * The header and mirror route stories on the real control plane: Weir's routes through Istio's CRD
 * and the testbed's structural HTTPRoute CRD, which types its matches and RequestMirror filter,
 * under the chart's ClusterRole.
 */
class NamedRouteRealTierTest extends NamedRouteScenarios {

  NamedRouteRealTierTest() {
    super(new RealTier());
  }
}
