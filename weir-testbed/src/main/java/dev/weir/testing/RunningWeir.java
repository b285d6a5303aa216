package dev.weir.testing;

import dev.weir.analysis.AnalysisRunDrivers;
import dev.weir.analysis.AnalysisRunReconciler;
import dev.weir.analysis.PrometheusSettings;
import dev.weir.gitops.GitOpsSettings;
import dev.weir.gitops.RevertWriter;
import dev.weir.gitops.WriteBackQueue;
import dev.weir.notify.NotificationSettings;
import dev.weir.notify.Notifier;
import dev.weir.observability.ApiRequestCounter;
import dev.weir.observability.MetricsServer;
import dev.weir.observability.ReconcileTimer;
import dev.weir.observability.WeirMetrics;
import dev.weir.rollout.RolloutReconciler;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.impl.KubernetesClientImpl;
import io.javaoperatorsdk.operator.Operator;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

/**
 * Weir's controller running in the test's JVM against a test API server: started, stopped and
 * started again as a scenario needs (a restart keeps nothing but what is in the cluster).
 */
public final class RunningWeir implements AutoCloseable {

  /** How long a query may take when its metric sets no timeout, as the chart's default says. */
  public static final Duration QUERY_TIMEOUT = Duration.ofSeconds(30);

  private final Operator operator;
  private final MetricsServer metricsServer;
  private final Notifier notifier;
  private final WriteBackQueue writeBacks;

  private RunningWeir(
      Operator operator,
      MetricsServer metricsServer,
      Notifier notifier,
      WriteBackQueue writeBacks) {
    this.operator = operator;
    this.metricsServer = metricsServer;
    this.notifier = notifier;
    this.writeBacks = writeBacks;
  }

  public static RunningWeir start(KubernetesClient client) {
    return start(client, Optional.empty());
  }

  /** Weir with the default Prometheus address of metrics that name none. */
  public static RunningWeir start(KubernetesClient client, Optional<String> prometheusAddress) {
    return start(client, prometheusAddress, 0);
  }

  /** Weir serving its metrics on {@code 127.0.0.1:metricsPort} (0: a free port). */
  public static RunningWeir start(
      KubernetesClient client, Optional<String> prometheusAddress, int metricsPort) {
    return start(client, PrometheusSettings.of(prometheusAddress, QUERY_TIMEOUT), metricsPort);
  }

  /**
   * Weir with the operator's Prometheus settings (allowed addresses, TLS), serving its metrics on
   * {@code 127.0.0.1:metricsPort} (0: a free port).
   */
  public static RunningWeir start(
      KubernetesClient client, PrometheusSettings prometheus, int metricsPort) {
    return start(client, prometheus, NotificationSettings.defaults(), metricsPort);
  }

  /**
   * Weir with the operator's Prometheus and notification settings, serving its metrics on {@code
   * 127.0.0.1:metricsPort} (0: a free port).
   */
  public static RunningWeir start(
      KubernetesClient client,
      PrometheusSettings prometheus,
      NotificationSettings notifications,
      int metricsPort) {
    return start(client, prometheus, notifications, GitOpsSettings.defaults(), metricsPort);
  }

  /**
   * Weir with the operator's Prometheus, notification and git write-back settings, serving its
   * metrics on {@code 127.0.0.1:metricsPort} (0: a free port).
   */
  public static RunningWeir start(
      KubernetesClient client,
      PrometheusSettings prometheus,
      NotificationSettings notifications,
      GitOpsSettings gitops,
      int metricsPort) {
    // Metrics of its own, served on a free loopback port, as the application serves them.
    var metrics = new WeirMetrics(new PrometheusRegistry());
    // The same client (its interceptors too: a test may log the requests), counting requests.
    var http =
        client
            .getHttpClient()
            .newBuilder()
            .addOrReplaceInterceptor(ApiRequestCounter.NAME, new ApiRequestCounter(metrics))
            .build();
    // Informer callbacks on threads of their own, as KubernetesClientBuilder arranges: on the
    // HTTP client's event loop they would block it.
    var counted =
        new KubernetesClientImpl(
            http,
            client.getConfiguration(),
            () ->
                java.util.concurrent.Executors.newCachedThreadPool(
                    r -> {
                      var thread = new Thread(r, "weir-test-informers");
                      thread.setDaemon(true);
                      return thread;
                    }),
            client.getKubernetesSerialization());
    var operator =
        new Operator(
            o ->
                o.withKubernetesClient(counted)
                    .withCloseClientOnStop(false)
                    // As application.properties configures the packaged controller.
                    .withUseSSAToPatchPrimaryResource(false)
                    .withMetrics(new ReconcileTimer(metrics))
                    .withReconciliationTerminationTimeout(Duration.ofSeconds(10)));
    var drivers = new AnalysisRunDrivers(prometheus, Clock.systemUTC(), metrics);
    var notifier = new Notifier(notifications, Clock.systemUTC(), metrics);
    var writeBacks =
        new WriteBackQueue(gitops, new RevertWriter(gitops.timeout(), Clock.systemUTC()));
    operator.register(new RolloutReconciler(Clock.systemUTC(), drivers, notifier, writeBacks));
    operator.register(new AnalysisRunReconciler(drivers));
    operator.start();
    return new RunningWeir(
        operator, MetricsServer.start(metrics, "127.0.0.1", metricsPort), notifier, writeBacks);
  }

  /** Where Prometheus scrapes Weir's metrics: {@code 127.0.0.1:port}. */
  public String metricsTarget() {
    return "127.0.0.1:" + metricsServer.port();
  }

  /** The text a scrape of Weir's metrics endpoint returns now. */
  public String scrapeMetrics() {
    try {
      var response =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(URI.create("http://" + metricsTarget() + "/metrics"))
                      .header("Accept", "text/plain; version=0.0.4")
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
      return response.body();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    // The notifier first: while the operator stops (seconds, on a real API server) it would go on
    // retrying and might give up what a restart should send. What it had not sent stays pending
    // in the rollouts' ledgers.
    notifier.close();
    // A write-back under way ends unrecorded; the restarted controller finds its commit.
    writeBacks.close();
    try {
      operator.stop();
    } finally {
      // The counting client shares its connections with the test's client, which closes them.
      metricsServer.close();
    }
  }
}
