package dev.weir.analysis.provider;

/**
 * A metrics backend that answers one resolved query: arguments substituted and secrets read by the
 * caller, so that a provider knows nothing about Kubernetes.
 *
 * @param <Q> the backend's own query (for Prometheus: address, PromQL, credentials)
 */
public interface MetricProvider<Q> {

  /** Runs the query. Never throws for a bad answer from the backend: that is an outcome. */
  QueryResult query(Q query);
}
