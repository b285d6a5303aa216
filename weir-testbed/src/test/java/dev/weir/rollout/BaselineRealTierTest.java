package dev.weir.rollout;

import dev.weir.testing.RealTier;

/**
 * The baseline stories on the real control plane, against the real Prometheus: the baseline's
 * ReplicaSet made by Weir and its pods by the real ReplicaSet controller, the evidence written
 * through the real AnalysisRun schema.
 */
class BaselineRealTierTest extends BaselineScenarios {

  BaselineRealTierTest() {
    super(new RealTier());
  }
}
