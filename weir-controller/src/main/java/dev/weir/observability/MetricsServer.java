package dev.weir.observability;

import io.prometheus.metrics.exporter.httpserver.HTTPServer;
import java.io.IOException;
import java.io.UncheckedIOException;

/** Serves a registry at {@code /metrics} on its own port, apart from the health endpoints. */
public final class MetricsServer implements AutoCloseable {

  private final HTTPServer server;

  private MetricsServer(HTTPServer server) {
    this.server = server;
  }

  /** Starts serving on {@code host:port}; port 0 picks a free one. */
  public static MetricsServer start(WeirMetrics metrics, String host, int port) {
    try {
      return new MetricsServer(
          HTTPServer.builder()
              .hostname(host)
              .port(port)
              .registry(metrics.registry())
              .buildAndStart());
    } catch (IOException e) {
      throw new UncheckedIOException("the metrics server cannot listen on " + port, e);
    }
  }

  public int port() {
    return server.getPort();
  }

  @Override
  public void close() {
    server.close();
  }
}
