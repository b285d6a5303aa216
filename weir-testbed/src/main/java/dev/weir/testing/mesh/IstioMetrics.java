package dev.weir.testing.mesh;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.exporter.httpserver.HTTPServer;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;

/**
 * The request metrics an Istio sidecar exports, with Istio's names, labels and buckets, served on a
 * loopback port of its own (its own registry: nothing of the JVM's default one leaks in).
 */
final class IstioMetrics implements AutoCloseable {

  /** Istio's standard labels, as the destination's sidecar reports them. */
  static final String[] LABELS = {
    "reporter",
    "source_workload",
    "source_workload_namespace",
    "source_app",
    "destination_workload",
    "destination_workload_namespace",
    "destination_app",
    "destination_version",
    "destination_service",
    "destination_service_name",
    "destination_service_namespace",
    "destination_canonical_service",
    "destination_canonical_revision",
    "request_protocol",
    "response_code",
    "response_flags",
    "connection_security_policy"
  };

  /** Istio's default buckets for {@code istio_request_duration_milliseconds}. */
  static final double[] DURATION_BUCKETS = {
    0.5, 1, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000, 30000, 60000, 300000, 600000,
    1800000, 3600000
  };

  /** The synthetic client that sends all the traffic. */
  static final String SOURCE = "loadgen";

  private final PrometheusRegistry registry = new PrometheusRegistry();
  private final Counter requests =
      Counter.builder()
          .name("istio_requests_total")
          .help("Requests handled by an Istio proxy (simulated).")
          .labelNames(LABELS)
          .withoutExemplars()
          .register(registry);
  private final Histogram duration =
      Histogram.builder()
          .name("istio_request_duration_milliseconds")
          .help("Duration of requests, in milliseconds (simulated).")
          .labelNames(LABELS)
          .classicOnly()
          .classicUpperBounds(DURATION_BUCKETS)
          .withoutExemplars()
          .register(registry);
  private final HTTPServer server;

  /** Serves on {@code port}, or on a free one when it is 0. */
  IstioMetrics(int port) throws IOException {
    server =
        HTTPServer.builder().hostname("127.0.0.1").port(port).registry(registry).buildAndStart();
  }

  int port() {
    return server.getPort();
  }

  /** A request the workload's pods answered, reported by their sidecar. */
  void answered(MeshService service, DestinationWorkload workload, int code, double millis) {
    answered(service.host(), service, workload, code, millis);
  }

  /**
   * A mirrored copy the workload's pods answered. Envoy sends a copy with {@code -shadow} appended
   * to its authority, which the receiving sidecar reports as the {@code destination_service}: the
   * copies are a series apart, under the same metric names and the same workload.
   */
  void mirrored(MeshService service, DestinationWorkload workload, int code, double millis) {
    answered(service.host() + "-shadow", service, workload, code, millis);
  }

  private void answered(
      String destinationService,
      MeshService service,
      DestinationWorkload workload,
      int code,
      double millis) {
    record(
        millis,
        "destination",
        SOURCE,
        service.namespace(),
        SOURCE,
        workload.workload(),
        service.namespace(),
        workload.app(),
        workload.version(),
        destinationService,
        service.name(),
        service.namespace(),
        workload.canonicalService(),
        workload.canonicalRevision(),
        "http",
        Integer.toString(code),
        "-",
        "mutual_tls");
  }

  /**
   * A request that found no ready pod. No destination sidecar ever sees it, so Istio has only the
   * client's sidecar report it, knowing the Service but no workload.
   */
  void noHealthyUpstream(MeshService service) {
    record(
        0,
        "source",
        SOURCE,
        service.namespace(),
        SOURCE,
        "unknown",
        "unknown",
        "unknown",
        "unknown",
        service.host(),
        service.name(),
        service.namespace(),
        "unknown",
        "latest",
        "http",
        "503",
        "UH",
        "unknown");
  }

  private void record(double millis, String... labelValues) {
    requests.labelValues(labelValues).inc();
    duration.labelValues(labelValues).observe(millis);
  }

  @Override
  public void close() {
    server.close();
  }
}
