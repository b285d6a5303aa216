package dev.weir.rollout;

import dev.weir.testing.RealTier;

/**
 * The analysis stories on the real control plane, against the real Prometheus: AnalysisRuns through
 * the real CRD schema and status subresource, the Secrets and templates read under the chart's
 * ClusterRole, not as cluster-admin.
 */
class AnalysisRealTierTest extends AnalysisScenarios {

  AnalysisRealTierTest() {
    super(new RealTier());
  }
}
