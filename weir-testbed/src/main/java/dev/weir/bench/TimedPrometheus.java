package dev.weir.bench;

import dev.weir.analysis.provider.MetricProvider;
import dev.weir.analysis.provider.QueryResult;
import dev.weir.analysis.provider.prometheus.PrometheusQuery;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Weir's Prometheus provider with a record of every query it answered: when, in which reconcile
 * ({@link ReconcileTracker#current()}), what it answered and the provider's own {@code took}.
 */
final class TimedPrometheus implements MetricProvider<PrometheusQuery> {

  /**
   * One query as the provider saw it.
   *
   * @param reconcile the reconcile that asked, 0 outside any
   * @param startedAt when the provider was called
   * @param finishedAt when it returned
   */
  record Query(
      long reconcile, String promql, Instant startedAt, Instant finishedAt, QueryResult result) {}

  private final MetricProvider<PrometheusQuery> delegate;
  private final Clock clock;
  private final List<Query> queries = new ArrayList<>();

  TimedPrometheus(MetricProvider<PrometheusQuery> delegate, Clock clock) {
    this.delegate = delegate;
    this.clock = clock;
  }

  @Override
  public QueryResult query(PrometheusQuery query) {
    long reconcile = ReconcileTracker.current().map(r -> r.id).orElse(0L);
    Instant started = clock.instant();
    QueryResult result = delegate.query(query);
    Instant finished = clock.instant();
    synchronized (queries) {
      queries.add(new Query(reconcile, query.promql(), started, finished, result));
    }
    return result;
  }

  List<Query> all() {
    synchronized (queries) {
      return List.copyOf(queries);
    }
  }
}
