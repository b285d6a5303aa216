package dev.weir.api.v1alpha1;

/** What a measurement that found no data counts as. */
public enum NoDataPolicy {
  /** Neither pass nor fail: counts toward inconclusiveLimit, which pauses the rollout. */
  Inconclusive,
  /** A failed measurement. */
  Fail,
  /** A successful measurement: only when the user asks for it explicitly. */
  Pass
}
