package dev.weir.testing;

import io.prometheus.metrics.core.datapoints.GaugeDataPoint;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.exporter.httpserver.HTTPServer;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A scrape target for the real Prometheus of the tests: gauges whose values the test sets, NaN and
 * infinities included, served at {@code /metrics} on a loopback port by the Prometheus Java client,
 * as an application would serve them.
 *
 * <pre>{@code
 * try (var exporter = GaugeExporter.start()) {
 *   exporter.set("checkout_error_ratio", Map.of("revision", "canary"), 0.2);
 *   var prometheus = PrometheusServer.start(List.of(exporter.target()));
 * }
 * }</pre>
 */
public final class GaugeExporter implements AutoCloseable {

  private final PrometheusRegistry registry;
  private final HTTPServer server;
  private final Map<String, Labelled> gauges = new HashMap<>();

  private GaugeExporter(PrometheusRegistry registry, HTTPServer server) {
    this.registry = registry;
    this.server = server;
  }

  /** Starts serving on a free loopback port. */
  public static GaugeExporter start() {
    var registry = new PrometheusRegistry();
    try {
      var server =
          HTTPServer.builder().hostname("127.0.0.1").port(0).registry(registry).buildAndStart();
      return new GaugeExporter(registry, server);
    } catch (IOException e) {
      throw new UncheckedIOException("the gauge exporter could not start", e);
    }
  }

  /** What Prometheus scrapes: {@code 127.0.0.1:port}. */
  public String target() {
    return "127.0.0.1:" + server.getPort();
  }

  /** Sets a gauge without labels. */
  public GaugeExporter set(String name, double value) {
    return set(name, Map.of(), value);
  }

  /**
   * Sets the series of gauge {@code name} with these labels. The first call for a name fixes its
   * label names; every series of a gauge has the same label names.
   */
  public synchronized GaugeExporter set(String name, Map<String, String> labels, double value) {
    var sorted = new TreeMap<>(labels);
    var gauge =
        gauges.computeIfAbsent(
            name,
            n ->
                new Labelled(
                    n,
                    List.copyOf(sorted.keySet()),
                    Gauge.builder()
                        .name(n)
                        .help("set by the test")
                        .labelNames(sorted.keySet().toArray(String[]::new))
                        .register(registry)));
    gauge.series(sorted).set(value);
    return this;
  }

  /** Removes one series: Prometheus marks it stale at the next scrape. */
  public synchronized void remove(String name, Map<String, String> labels) {
    var gauge = gauges.get(name);
    if (gauge != null) {
      gauge.gauge().remove(gauge.values(new TreeMap<>(labels)));
    }
  }

  /** Removes every series of the gauge. */
  public synchronized void remove(String name) {
    var gauge = gauges.get(name);
    if (gauge != null) {
      gauge.gauge().clear();
    }
  }

  @Override
  public void close() {
    server.close();
  }

  private record Labelled(String name, List<String> names, Gauge gauge) {

    GaugeDataPoint series(TreeMap<String, String> labels) {
      return gauge.labelValues(values(labels));
    }

    String[] values(TreeMap<String, String> labels) {
      if (!names.equals(List.copyOf(labels.keySet()))) {
        throw new IllegalArgumentException(
            "gauge " + name + " has labels " + names + ", not " + labels.keySet());
      }
      return labels.values().toArray(String[]::new);
    }
  }
}
