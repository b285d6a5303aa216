package dev.weir.rollout;

import dev.weir.testing.RealTier;

/**
 * The Gateway API stories on the real control plane: the HTTPRoute through a structural CRD schema
 * that prunes and type-checks what Weir writes, under the chart's ClusterRole, not as
 * cluster-admin.
 */
class GatewayApiRealTierTest extends GatewayApiScenarios {

  GatewayApiRealTierTest() {
    super(new RealTier());
  }
}
