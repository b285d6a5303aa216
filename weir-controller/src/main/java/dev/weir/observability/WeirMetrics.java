package dev.weir.observability;

import dev.weir.api.v1alpha1.AnalysisRun;
import dev.weir.api.v1alpha1.Rollout;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * Weir's own metrics, all named {@code weir_*} (see docs/metrics.md). Events are counted as they
 * happen (promotions, aborts, measurement errors, API requests, reconcile durations); the state of
 * rollouts and analysis runs is read from the controller's informer caches at each scrape, so a
 * deleted rollout's series go away with it.
 *
 * <p>One instance per operator, with a registry of its own: the application's wiring makes the
 * controller's, a test or a benchmark its own.
 */
public final class WeirMetrics {

  private final PrometheusRegistry registry;
  private final Counter promotions;
  private final Counter aborts;
  private final Counter measurementErrors;
  private final Counter apiRequests;
  private final Histogram reconcileDuration;
  private final Counter notifications;
  private final StateCollector state = new StateCollector();

  public WeirMetrics(PrometheusRegistry registry) {
    this.registry = registry;
    promotions =
        Counter.builder()
            .name("weir_rollout_promotions_total")
            .help("Revisions promoted to stable.")
            .labelNames("namespace", "rollout")
            .register(registry);
    aborts =
        Counter.builder()
            .name("weir_rollout_aborts_total")
            .help(
                "Releases aborted, by reason (AnalysisFailed, AnalysisError, Aborted on request,"
                    + " ProgressDeadlineExceeded).")
            .labelNames("namespace", "rollout", "reason")
            .register(registry);
    measurementErrors =
        Counter.builder()
            .name("weir_analysisrun_measurement_errors_total")
            .help("Measurements that ended in Error (the metrics backend failed to answer).")
            .labelNames("namespace", "rollout", "metric")
            .register(registry);
    apiRequests =
        Counter.builder()
            .name("weir_kubernetes_api_requests_total")
            .help("Requests to the Kubernetes API server, by HTTP verb and status code.")
            .labelNames("verb", "code")
            .register(registry);
    reconcileDuration =
        Histogram.builder()
            .name("weir_reconcile_duration_seconds")
            .help("Time one reconcile took, by controller and result.")
            .labelNames("controller", "result")
            .classicOnly()
            .classicUpperBounds(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10)
            .register(registry);
    notifications =
        Counter.builder()
            .name("weir_notifications_total")
            .help(
                "Notices to each destination of each NotificationPolicy, by outcome: sent"
                    + " (accepted), retried (failed, tried again later), failed (given up),"
                    + " refused (not sent: a policy problem, a Secret, an address).")
            .labelNames("namespace", "policy", "destination", "outcome")
            .register(registry);
    registry.register(state);
  }

  public PrometheusRegistry registry() {
    return registry;
  }

  /**
   * Where the state metrics read rollouts, their ReplicaSets and analysis runs from at each scrape.
   * Called by the reconcilers with their informer caches; a later call replaces an earlier one of
   * the same source.
   */
  public void readRollouts(Supplier<Stream<Rollout>> rollouts) {
    state.rollouts = rollouts;
  }

  public void readReplicaSets(Supplier<Stream<ReplicaSet>> replicaSets) {
    state.replicaSets = replicaSets;
  }

  public void readAnalysisRuns(String source, Supplier<Stream<AnalysisRun>> runs) {
    state.runs.put(source, runs);
  }

  public void promoted(String namespace, String rollout) {
    promotions.labelValues(namespace, rollout).inc();
  }

  public void aborted(String namespace, String rollout, String reason) {
    aborts.labelValues(namespace, rollout, reason == null ? "Unknown" : reason).inc();
  }

  public void measurementError(AnalysisRun run, String metric) {
    measurementErrors
        .labelValues(run.getMetadata().getNamespace(), StateCollector.owningRollout(run), metric)
        .inc();
  }

  public void apiRequest(String verb, String code) {
    apiRequests.labelValues(verb, code).inc();
  }

  public void notification(String namespace, String policy, String destination, String outcome) {
    notifications.labelValues(namespace, policy, destination, outcome).inc();
  }

  public void reconciled(String controller, boolean success, double seconds) {
    reconcileDuration.labelValues(controller, success ? "success" : "error").observe(seconds);
  }
}
