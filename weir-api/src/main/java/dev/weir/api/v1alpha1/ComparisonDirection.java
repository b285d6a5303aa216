package dev.weir.api.v1alpha1;

/** Which way a metric judged by comparison gets worse. */
public enum ComparisonDirection {
  /** Latency, error rate: a canary above its baseline is worse. */
  HigherIsWorse,
  /** Success rate, throughput: a canary below its baseline is worse. */
  LowerIsWorse
}
