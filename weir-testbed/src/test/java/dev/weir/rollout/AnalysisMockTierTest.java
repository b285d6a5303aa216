package dev.weir.rollout;

import dev.weir.testing.MockTier;

/** The analysis stories on the fabric8 mock API server, against the real Prometheus. */
class AnalysisMockTierTest extends AnalysisScenarios {

  AnalysisMockTierTest() {
    super(new MockTier());
  }
}
