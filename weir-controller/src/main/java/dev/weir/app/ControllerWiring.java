package dev.weir.app;

import dev.weir.admission.AdmissionWebhook;
import dev.weir.admission.CertificateSource;
import dev.weir.admission.IssuedCertificates;
import dev.weir.admission.MountedCertificates;
import dev.weir.analysis.AllowedAddresses;
import dev.weir.analysis.AnalysisRunDrivers;
import dev.weir.analysis.PrometheusSettings;
import dev.weir.analysis.provider.prometheus.PrometheusTls;
import dev.weir.gitops.GitOpsSettings;
import dev.weir.gitops.RevertWriter;
import dev.weir.gitops.WriteBackQueue;
import dev.weir.notify.NotificationSettings;
import dev.weir.notify.Notifier;
import dev.weir.observability.ApiRequestCounter;
import dev.weir.observability.MetricsServer;
import dev.weir.observability.ReconcileTimer;
import dev.weir.observability.WeirMetrics;
import dev.weir.rollout.Resync;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import io.javaoperatorsdk.operator.api.monitoring.Metrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.Dependent;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * The application's wiring, in one place: the settings of {@link WeirConfig} turned into the
 * objects the reconcilers are built from (the clock, Weir's metrics, the analysis drivers), the
 * Kubernetes client with its request counter, the reconcile timer, leader election, and the metrics
 * server's life. Tests and benchmarks build the same objects by hand.
 */
@Singleton
public class ControllerWiring {

  private static final Logger LOG = Logger.getLogger(ControllerWiring.class);

  private final WeirConfig config;
  private MetricsServer server;
  private AdmissionWebhook webhook;

  ControllerWiring(WeirConfig config) {
    this.config = config;
  }

  @Produces
  @Singleton
  Clock clock() {
    return Clock.systemUTC();
  }

  /** Weir's metrics, in a registry of their own that the metrics server serves. */
  @Produces
  @Singleton
  WeirMetrics metrics() {
    return new WeirMetrics(new PrometheusRegistry());
  }

  @Produces
  @Singleton
  AnalysisRunDrivers analysisRunDrivers(Clock clock, WeirMetrics metrics) {
    var prometheus = config.prometheus();
    var tls = prometheus.tls();
    var settings =
        PrometheusSettings.of(prometheus.address(), prometheus.timeout())
            .allowing(prometheus.allowedAddresses().orElse(List.of()))
            .withTls(new PrometheusTls(tls.caFile(), tls.certFile(), tls.keyFile()));
    LOG.infof("values from Secrets go only to the Prometheus addresses %s", settings.allowed());
    return new AnalysisRunDrivers(settings, clock, metrics);
  }

  /** The notifier, with the operator's allowed addresses and delivery timings. */
  @Produces
  @Singleton
  Notifier notifier(Clock clock, WeirMetrics metrics) {
    var n = config.notifications();
    var settings =
        new NotificationSettings(
            AllowedAddresses.of(n.allowedAddresses().orElse(List.of())),
            n.timeout(),
            n.firstRetry(),
            n.longestRetry(),
            n.attempts(),
            n.dedupWindow());
    LOG.infof("values from Secrets go only to the notification addresses %s", settings.allowed());
    return new Notifier(settings, clock, metrics);
  }

  void closeNotifier(@Disposes Notifier notifier) {
    notifier.close();
  }

  /** Write-backs to git, with the operator's allowed repository addresses. */
  @Produces
  @Singleton
  WriteBackQueue writeBacks(Clock clock) {
    var gitops = config.gitops();
    var settings =
        new GitOpsSettings(
            AllowedAddresses.of(gitops.allowedAddresses().orElse(List.of())), gitops.timeout());
    LOG.infof("write-backs go only to the git addresses %s", settings.allowed());
    return new WriteBackQueue(settings, new RevertWriter(settings.timeout(), clock));
  }

  void closeWriteBacks(@Disposes WriteBackQueue writeBacks) {
    writeBacks.close();
  }

  @Produces
  @Singleton
  Metrics reconcileTimer(WeirMetrics metrics) {
    return new ReconcileTimer(metrics);
  }

  /**
   * The client Quarkus would make, counting the controller's requests to the API server and held to
   * the rate of {@code weir.client.qps} and {@code burst}.
   */
  @Produces
  @Singleton
  KubernetesClient kubernetesClient(
      KubernetesSerialization serialization, Config kubernetes, WeirMetrics metrics) {
    var counter = new ApiRequestCounter(metrics);
    var limits = config.client();
    var rateLimit =
        limits.qps() > 0 ? new ApiRateLimit(limits.qps(), limits.burst(), System::nanoTime) : null;
    LOG.infof(
        "requests to the API server: %s", rateLimit == null ? "no limit" : limits.qps() + "/s");
    return new KubernetesClientBuilder()
        .withKubernetesSerialization(serialization)
        .withConfig(kubernetes)
        .withHttpClientBuilderConsumer(
            b -> {
              if (rateLimit != null) {
                b.addOrReplaceInterceptor(ApiRateLimit.NAME, rateLimit);
              }
              b.addOrReplaceInterceptor(ApiRequestCounter.NAME, counter);
            })
        .build();
  }

  /** When idle rollouts are reconciled again. */
  @Produces
  @Singleton
  Resync resync() {
    var reconcile = config.reconcile();
    return new Resync(reconcile.resync(), reconcile.resyncJitter());
  }

  void closeClient(@Disposes KubernetesClient client) {
    client.close();
  }

  /**
   * The operator framework elects a leader when this is not null; a replica that loses its lease
   * stops, so that it restarts as a follower.
   */
  @Produces
  @Dependent
  LeaderElectionConfiguration leaderElection() {
    var election = config.leaderElection();
    if (!election.enabled()) {
      return null;
    }
    return new LeaderElectionConfiguration(
        election.leaseName(),
        election.namespace().orElse(null),
        election.leaseDuration(),
        election.renewDeadline(),
        election.retryPeriod(),
        election.identity().orElse(null),
        null,
        true);
  }

  void start(
      @Observes StartupEvent started, WeirMetrics metrics, KubernetesClient client, Clock clock) {
    var settings = config.metrics();
    server = MetricsServer.start(metrics, settings.host(), settings.port());
    LOG.infof("metrics at http://%s:%d/metrics", settings.host(), server.port());
    var admission = config.webhook();
    if (admission.enabled()) {
      webhook =
          AdmissionWebhook.start(
              admission.host(),
              admission.port(),
              certificates(admission, client, clock),
              admission.refreshPeriod());
    }
  }

  private static CertificateSource certificates(
      WeirConfig.Webhook admission, KubernetesClient client, Clock clock) {
    if ("mounted".equals(admission.certificates())) {
      return new MountedCertificates(Path.of(admission.certificateDir()));
    }
    String namespace = admission.namespace().orElse(client.getNamespace());
    List<String> names =
        admission.names().orElse(List.of(admission.service() + "." + namespace + ".svc"));
    return new IssuedCertificates(
        client,
        namespace,
        admission.secret(),
        admission.configuration(),
        names,
        admission.validity(),
        clock);
  }

  void stop(@Observes ShutdownEvent stopping) {
    if (webhook != null) {
      webhook.close();
    }
    if (server != null) {
      server.close();
    }
  }
}
