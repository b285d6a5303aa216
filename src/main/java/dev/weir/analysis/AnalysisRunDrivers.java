package dev.weir.analysis;

import dev.weir.analysis.provider.MetricProvider;
import dev.weir.analysis.provider.prometheus.PrometheusProvider;
import dev.weir.analysis.provider.prometheus.PrometheusQuery;
import dev.weir.observability.WeirMetrics;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Clock;
import java.util.Optional;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * What every driver shares: the Prometheus client (one HTTP client for the whole controller), the
 * default Prometheus address and the clock. A driver is cheap and made per client.
 */
public final class AnalysisRunDrivers {

  /** Setting (or env WEIR_PROMETHEUS_ADDRESS) for metrics that name no address. */
  public static final String ADDRESS_SETTING = "weir.prometheus.address";

  private final PrometheusMeasurements prometheus;
  private final Clock clock;
  private WeirMetrics metrics = WeirMetrics.shared();

  public AnalysisRunDrivers(Optional<String> defaultAddress, Clock clock) {
    this(new PrometheusProvider(clock), defaultAddress, clock);
  }

  /** With the provider that answers the Prometheus queries (a benchmark wraps it to time them). */
  public AnalysisRunDrivers(
      MetricProvider<PrometheusQuery> provider, Optional<String> defaultAddress, Clock clock) {
    this.prometheus = new PrometheusMeasurements(provider, defaultAddress);
    this.clock = clock;
  }

  /** The controller's settings: weir.prometheus.address from application.properties or env. */
  public static AnalysisRunDrivers fromConfiguration(Clock clock) {
    Optional<String> address =
        ConfigProvider.getConfig().getOptionalValue(ADDRESS_SETTING, String.class);
    return new AnalysisRunDrivers(address, clock);
  }

  public AnalysisRunDriver forClient(KubernetesClient client) {
    return new AnalysisRunDriver(client, prometheus, clock, metrics);
  }

  /** Reports to these metrics instead of the controller's shared ones (a test's own registry). */
  public AnalysisRunDrivers reportingTo(WeirMetrics metrics) {
    this.metrics = metrics;
    return this;
  }

  /** Where the reconcilers and drivers report what they see and do. */
  public WeirMetrics metrics() {
    return metrics;
  }

  public Clock clock() {
    return clock;
  }
}
