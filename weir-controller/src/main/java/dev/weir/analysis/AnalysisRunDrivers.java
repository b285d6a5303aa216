package dev.weir.analysis;

import dev.weir.analysis.provider.MetricProvider;
import dev.weir.analysis.provider.prometheus.PrometheusProvider;
import dev.weir.analysis.provider.prometheus.PrometheusQuery;
import dev.weir.observability.WeirMetrics;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

/**
 * What every driver shares: the Prometheus client (one HTTP client for the whole controller), the
 * operator's Prometheus settings (default address and timeout, allowed addresses, TLS), the clock
 * and Weir's metrics. A driver is cheap and made per client.
 */
public final class AnalysisRunDrivers {

  private final PrometheusMeasurements prometheus;
  private final Clock clock;
  private final WeirMetrics metrics;

  /**
   * @param defaultAddress the Prometheus of metrics that name none
   * @param defaultTimeout how long a query may take when its metric sets no timeout
   */
  public AnalysisRunDrivers(
      Optional<String> defaultAddress, Duration defaultTimeout, Clock clock, WeirMetrics metrics) {
    this(PrometheusSettings.of(defaultAddress, defaultTimeout), clock, metrics);
  }

  /** With the operator's Prometheus settings: allowed addresses, TLS. */
  public AnalysisRunDrivers(PrometheusSettings settings, Clock clock, WeirMetrics metrics) {
    this(new PrometheusProvider(clock, settings.tls()), settings, clock, metrics);
  }

  /** With the provider that answers the Prometheus queries (a benchmark wraps it to time them). */
  public AnalysisRunDrivers(
      MetricProvider<PrometheusQuery> provider,
      Optional<String> defaultAddress,
      Duration defaultTimeout,
      Clock clock,
      WeirMetrics metrics) {
    this(provider, PrometheusSettings.of(defaultAddress, defaultTimeout), clock, metrics);
  }

  public AnalysisRunDrivers(
      MetricProvider<PrometheusQuery> provider,
      PrometheusSettings settings,
      Clock clock,
      WeirMetrics metrics) {
    this.prometheus = new PrometheusMeasurements(provider, settings);
    this.clock = clock;
    this.metrics = metrics;
  }

  /** A driver acting through {@code client}, reading Secrets only from {@code secrets}. */
  public AnalysisRunDriver forClient(KubernetesClient client, OptedInSecrets secrets) {
    return new AnalysisRunDriver(client, prometheus, secrets, clock, metrics);
  }

  /** Where the reconcilers and drivers report what they see and do. */
  public WeirMetrics metrics() {
    return metrics;
  }

  public Clock clock() {
    return clock;
  }
}
