package dev.weir.observability;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.javaoperatorsdk.operator.api.monitoring.Metrics;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Wires Weir's metrics into the application: the reconcile timer into the operator framework, the
 * request counter into the Kubernetes client (the same client Quarkus would make, plus the
 * counter), and the metrics server on {@code weir.metrics.port} (env WEIR_METRICS_PORT, default
 * 8090; 0 picks a free port).
 */
@Singleton
public class ControllerObservability {

  private static final Logger LOG = Logger.getLogger(ControllerObservability.class);

  @ConfigProperty(name = "weir.metrics.port", defaultValue = "8090")
  int port;

  @ConfigProperty(name = "weir.metrics.host", defaultValue = "0.0.0.0")
  String host;

  private MetricsServer server;

  @Produces
  @Singleton
  Metrics reconcileTimer() {
    return new ReconcileTimer(WeirMetrics.shared());
  }

  @Produces
  @Singleton
  KubernetesClient kubernetesClient(KubernetesSerialization serialization, Config config) {
    var counter = new ApiRequestCounter(WeirMetrics.shared());
    return new KubernetesClientBuilder()
        .withKubernetesSerialization(serialization)
        .withConfig(config)
        .withHttpClientBuilderConsumer(
            b -> b.addOrReplaceInterceptor(ApiRequestCounter.NAME, counter))
        .build();
  }

  void closeClient(@Disposes KubernetesClient client) {
    client.close();
  }

  void start(@Observes StartupEvent started) {
    server = MetricsServer.start(WeirMetrics.shared(), host, port);
    LOG.infof("metrics at http://%s:%d/metrics", host, server.port());
  }

  void stop(@Observes ShutdownEvent stopping) {
    if (server != null) {
      server.close();
    }
  }
}
