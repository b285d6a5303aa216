package dev.weir.admission;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * The webhook as it runs: its server, and a refresh of its certificate on a period, so that a
 * renewal (by Weir or by the issuer that mounts it) is served before the old certificate expires. A
 * failed refresh keeps the current certificate and is tried again on the next period.
 */
public final class AdmissionWebhook implements AutoCloseable {

  private static final Logger LOG = Logger.getLogger(AdmissionWebhook.class);

  private final WebhookServer server;
  private final ScheduledExecutorService refresh;

  private AdmissionWebhook(WebhookServer server, ScheduledExecutorService refresh) {
    this.server = server;
    this.refresh = refresh;
  }

  /** Reads the certificate once (failing the start if it cannot), then serves and refreshes. */
  public static AdmissionWebhook start(
      String host, int port, CertificateSource certificates, Duration refreshPeriod) {
    var keys = new RotatingKeyManager();
    keys.use(certificates.current());
    var server = WebhookServer.start(host, port, keys);
    var refresh =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              var thread = new Thread(r, "weir-webhook-certificates");
              thread.setDaemon(true);
              return thread;
            });
    long period = refreshPeriod.toMillis();
    refresh.scheduleWithFixedDelay(
        () -> {
          try {
            var next = certificates.current();
            if (!next.equals(keys.current())) {
              keys.use(next);
              LOG.infof("the webhook serves %s", next);
            }
          } catch (RuntimeException e) {
            LOG.warnf("the webhook's certificate was not refreshed: %s", e.getMessage());
          }
        },
        period,
        period,
        TimeUnit.MILLISECONDS);
    LOG.infof("admission webhook at https://%s:%d%s", host, server.port(), WebhookServer.PATH);
    return new AdmissionWebhook(server, refresh);
  }

  public int port() {
    return server.port();
  }

  @Override
  public void close() {
    refresh.shutdownNow();
    server.close();
  }
}
