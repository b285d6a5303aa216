package dev.weir.rollout;

import dev.weir.testing.RealTier;

/**
 * The aborted-revision stories on the real control plane, against the real Prometheus: the record
 * of aborted revisions through the real CRD schema (pruning keeps only declared fields) and the
 * status subresource the retry patches.
 */
class AbortedRevisionRealTierTest extends AbortedRevisionScenarios {

  AbortedRevisionRealTierTest() {
    super(new RealTier());
  }
}
