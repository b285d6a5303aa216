package dev.weir.app;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Every setting of the controller, under {@code weir.*} in application.properties or as environment
 * variables ({@code weir.metrics.port} is {@code WEIR_METRICS_PORT}); the chart sets them. Read
 * once at start and handed to what uses them: nothing looks a setting up on its own.
 */
@ConfigMapping(prefix = "weir")
public interface WeirConfig {

  Prometheus prometheus();

  Metrics metrics();

  LeaderElection leaderElection();

  Webhook webhook();

  Notifications notifications();

  GitOps gitops();

  /** Write-back of aborts to git (docs/gitops.md). */
  interface GitOps {

    /**
     * URL prefixes ({@code WEIR_GITOPS_ALLOWED_ADDRESSES}, comma-separated) of the repositories a
     * rollout's spec.gitWriteBack may name: any other is an InvalidSpec, and nothing is sent.
     */
    Optional<List<String>> allowedAddresses();

    /** How long one git request (clone, push) may take. */
    @WithDefault("30s")
    Duration timeout();
  }

  Reconcile reconcile();

  Client client();

  /** How often an idle rollout is looked at again (docs/scaling.md). */
  interface Reconcile {

    /** How long a rollout with nothing to wait for waits before it is reconciled again. */
    @WithDefault("5m")
    Duration resync();

    /**
     * The fraction of {@link #resync()} by which each rollout's resync comes earlier, the same for
     * a rollout every time and spread over the fleet, so that rollouts reconciled together (all of
     * them, at start) do not come due together.
     */
    @WithDefault("0.2")
    double resyncJitter();
  }

  /** The controller's requests to the API server (docs/scaling.md). */
  interface Client {

    /** Requests per second, sustained; 0 for no limit. */
    @WithDefault("200")
    double qps();

    /** Requests that may go at once above {@link #qps()} after a quiet while. */
    @WithDefault("400")
    int burst();
  }

  /** Where and how notices of NotificationPolicies are sent (docs/notifications.md). */
  interface Notifications {

    /**
     * URL prefixes ({@code WEIR_NOTIFICATIONS_ALLOWED_ADDRESSES}, comma-separated) that a
     * destination carrying values from Secrets (a signature, a header) may be sent to: to any
     * other, nothing is sent and the rollout gets a NotificationRefused Event.
     */
    Optional<List<String>> allowedAddresses();

    /** How long one delivery may take before it counts as failed and is retried. */
    @WithDefault("10s")
    Duration timeout();

    /** The wait before the first retry; each later one doubles, up to {@code longest-retry}. */
    @WithDefault("1s")
    Duration firstRetry();

    @WithDefault("5m")
    Duration longestRetry();

    /** How many times a notice is tried before it is given up. */
    @WithDefault("10")
    int attempts();

    /** How long a notice already recorded for a rollout is not sent again. */
    @WithDefault("1h")
    Duration dedupWindow();
  }

  /** The Prometheus that metrics naming no address ask. */
  interface Prometheus {

    /** The default address ({@code WEIR_PROMETHEUS_ADDRESS}); none: each metric must name one. */
    Optional<String> address();

    /** How long a query may take when its metric sets no timeout. */
    @WithDefault("30s")
    Duration timeout();

    /**
     * URL prefixes ({@code WEIR_PROMETHEUS_ALLOWED_ADDRESSES}, comma-separated) that credentials
     * and values from Secrets may be sent to: a metric at another address that would send any is an
     * InvalidSpec. The default address is always allowed.
     */
    Optional<List<String>> allowedAddresses();

    Tls tls();
  }

  /** TLS towards Prometheus: PEM files, as the chart mounts them. */
  interface Tls {

    /** CA certificates to trust besides the system's ({@code WEIR_PROMETHEUS_TLS_CA_FILE}). */
    Optional<Path> caFile();

    /** A client certificate, presented only to allowed addresses. */
    Optional<Path> certFile();

    /** Its private key (PKCS#8, or PKCS#1 for RSA, or SEC1 for EC). */
    Optional<Path> keyFile();
  }

  /** Where Weir serves its own metrics, apart from the health endpoints. */
  interface Metrics {

    /** The port of {@code /metrics}; 0 picks a free one. */
    @WithDefault("8090")
    int port();

    @WithDefault("0.0.0.0")
    String host();
  }

  /**
   * Leader election among the controller's replicas, through a coordination.k8s.io Lease: only the
   * leader reconciles. Off unless enabled; the chart turns it on.
   */
  interface LeaderElection {

    @WithDefault("false")
    boolean enabled();

    @WithDefault("weir-controller")
    String leaseName();

    /** The Lease's namespace; by default the namespace of the controller's own client. */
    Optional<String> namespace();

    @WithDefault("15s")
    Duration leaseDuration();

    @WithDefault("10s")
    Duration renewDeadline();

    @WithDefault("2s")
    Duration retryPeriod();

    /** Identity in the Lease: the pod's name (env HOSTNAME in a pod). */
    Optional<String> identity();
  }

  /**
   * The validating admission webhook: off unless enabled (the chart's {@code webhook.enabled}).
   * Every replica serves it.
   */
  interface Webhook {

    @WithDefault("false")
    boolean enabled();

    @WithDefault("9443")
    int port();

    @WithDefault("0.0.0.0")
    String host();

    /** {@code issue}: Weir issues and renews its certificate; {@code mounted}: read from files. */
    @WithDefault("issue")
    String certificates();

    /** Where {@code mounted} certificates are: {@code tls.crt}, {@code tls.key}, {@code ca.crt}. */
    @WithDefault("/etc/weir/webhook")
    String certificateDir();

    /** The Secret that keeps the certificates Weir issues, in its own namespace. */
    @WithDefault("weir-webhook-tls")
    String secret();

    /** Weir's namespace; by default the namespace of the controller's own client. */
    Optional<String> namespace();

    /** The ValidatingWebhookConfiguration whose caBundle Weir keeps, for issued certificates. */
    @WithDefault("weir")
    String configuration();

    /** The Service the API server calls the webhook through. */
    @WithDefault("weir-webhook")
    String service();

    /** The names the certificate is for; by default the Service's {@code NAME.NAMESPACE.svc}. */
    Optional<List<String>> names();

    /** How long an issued serving certificate is valid; it is renewed a third before its end. */
    @WithDefault("8760h")
    Duration validity();

    /** How often the certificate is checked (renewed by Weir, or re-read from its files). */
    @WithDefault("1m")
    Duration refreshPeriod();
  }
}
