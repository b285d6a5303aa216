package dev.weir.notify;

import dev.weir.api.v1alpha1.NotificationPolicy;
import dev.weir.api.v1alpha1.Rollout;
import dev.weir.api.v1alpha1.SpecProblem;
import dev.weir.api.validation.NotificationPolicyValidator;
import dev.weir.observability.EventRecorder;
import dev.weir.observability.WeirMetrics;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;

/**
 * Tells people what happened to their releases, without holding up a release: a reconcile hands
 * over its notices ({@link #tell}), which are recorded in the rollout's {@link NotificationLedger}
 * and sent by threads of the notifier's own. A destination that fails (an HTTP error, no answer
 * within the timeout) is tried again with exponential backoff; each outcome is counted in {@code
 * weir_notifications_total}, and failures are Warning Events on the rollout. Nothing from a Secret
 * is ever logged, recorded or counted: messages name a destination by its host only.
 */
public final class Notifier implements AutoCloseable {

  private static final Logger LOG = Logger.getLogger(Notifier.class);

  private final NotificationSettings settings;
  private final Clock clock;
  private final WeirMetrics metrics;
  private final NotificationLedger ledger;
  private final HttpClient http;
  private final ScheduledExecutorService senders;
  private final DeliveryLines lines = new DeliveryLines();
  private volatile NotificationSources sources;
  private volatile KubernetesClient client;

  public Notifier(NotificationSettings settings, Clock clock, WeirMetrics metrics) {
    this.settings = settings;
    this.clock = clock;
    this.metrics = metrics;
    this.ledger = new NotificationLedger(settings.dedupWindow(), clock);
    this.http =
        HttpClient.newBuilder()
            .connectTimeout(settings.timeout())
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
    var pool =
        new ScheduledThreadPoolExecutor(
            2,
            r -> {
              var thread = new Thread(r, "weir-notifications");
              thread.setDaemon(true);
              return thread;
            });
    pool.setRemoveOnCancelPolicy(true);
    this.senders = pool;
  }

  /** Where policies, Secrets and ledgers are read from: the controller's informers. */
  public void readFrom(NotificationSources sources) {
    this.sources = sources;
  }

  public NotificationSettings settings() {
    return settings;
  }

  /**
   * Records the notices of one reconcile and queues them; called before the rollout's status is
   * written, so that a notice is never lost to a restart. The first call for a rollout takes up its
   * ledger and queues again what was pending in it.
   */
  public void tell(Rollout rollout, List<Notice> notices, KubernetesClient client) {
    var from = sources;
    if (from == null) {
      return;
    }
    this.client = client;
    var meta = rollout.getMetadata();
    String namespace = meta.getNamespace();
    for (LedgerEntry pending :
        ledger.adopt(
            meta.getUid(), from.ledger(namespace, NotificationLedger.nameOf(meta.getName())))) {
      deliverInTurn(pending);
    }
    for (Notice notice : notices) {
      var targets =
          PolicyMatch.targets(from.policies(namespace), meta.getLabels(), notice.trigger());
      for (var target : targets) {
        var entry = ledger.pending(notice, target.policy(), target.destination().name);
        try {
          if (!ledger.record(client, rollout, entry)) {
            LOG.debugf("%s to %s already recorded: not sent again", notice.id(), target);
            continue;
          }
        } catch (KubernetesClientException e) {
          // Sent all the same: unrecorded, it may be lost to a restart, or sent twice.
          warn(
              entry,
              "NotificationNotRecorded",
              "the ledger "
                  + NotificationLedger.nameOf(meta.getName())
                  + " cannot be written ("
                  + e.getCode()
                  + (e.getStatus() == null ? "" : " " + e.getStatus().getMessage())
                  + "): sending without it");
        }
        deliverInTurn(entry);
      }
    }
  }

  /** Sends an entry now, or after the entries before it to the same destination. */
  private void deliverInTurn(LedgerEntry entry) {
    if (lines.join(entry)) {
      queue(entry, 1, Duration.ZERO);
    }
  }

  private void queue(LedgerEntry entry, int attempt, Duration after) {
    if (senders.isShutdown()) {
      return;
    }
    senders.schedule(() -> attempt(entry, attempt), after.toMillis(), TimeUnit.MILLISECONDS);
  }

  /**
   * One attempt at one destination; schedules the next on a failure that may pass, and once the
   * entry is settled, the next entry of its line.
   */
  private void attempt(LedgerEntry entry, int attempt) {
    boolean settled;
    try {
      settled = attemptOnce(entry, attempt);
    } catch (Stopped e) {
      LOG.debugf("stopped while sending %s: it stays pending", entry.key());
      return;
    } catch (RuntimeException e) {
      // A sender thread must survive anything one notice does: the entry stays pending, the notices
      // after it go on, and only the class is logged (a message may repeat a Secret's value).
      LOG.errorf(
          "notice %s to %s: %s", entry.notice().id(), entry.destination(), e.getClass().getName());
      settled = true;
    }
    if (settled) {
      lines.settled(entry).ifPresent(next -> queue(next, 1, Duration.ZERO));
    }
  }

  /** Returns whether the entry is settled: sent, given up or refused (else a retry is queued). */
  private boolean attemptOnce(LedgerEntry entry, int attempt) {
    var request = request(entry);
    if (request.isEmpty()) {
      return true;
    }
    var outgoing = request.get();
    String failure = send(outgoing);
    if (failure == null) {
      count(entry, "sent");
      ledger.settle(client, rollout(entry), entry.settled(LedgerEntry.State.sent, attempt));
      return true;
    }
    if (attempt >= settings.attempts()) {
      count(entry, "failed");
      ledger.settle(client, rollout(entry), entry.settled(LedgerEntry.State.failed, attempt));
      warn(
          entry,
          "NotificationFailed",
          failure
              + " from "
              + outgoing.shownAddress()
              + "; given up after "
              + attempt
              + " attempts");
      return true;
    }
    count(entry, "retried");
    Duration wait = settings.backoff(attempt);
    if (attempt == 1) {
      warn(
          entry,
          "NotificationRetrying",
          failure
              + " from "
              + outgoing.shownAddress()
              + "; trying again in "
              + wait.toMillis()
              + "ms, up to "
              + settings.attempts()
              + " attempts");
    }
    queue(entry, attempt + 1, wait);
    return false;
  }

  /** The request for an entry, or empty when it must not leave (then refused and settled). */
  private Optional<Outgoing> request(LedgerEntry entry) {
    var notice = entry.notice();
    var policy = sources.policy(notice.namespace(), entry.policy());
    int index = destinationIndex(policy, entry.destination());
    if (index < 0) {
      refuse(
          entry,
          List.of(
              new SpecProblem(
                  "spec.destinations",
                  "no destination " + entry.destination() + " (the policy changed or is gone)")));
      return Optional.empty();
    }
    var problems = NotificationPolicyValidator.check(policy.get().getSpec());
    if (!problems.isEmpty()) {
      refuse(entry, problems);
      return Optional.empty();
    }
    var spec = policy.get().getSpec();
    var built =
        NoticeDestinations.build(
            index,
            spec.destinations.get(index),
            spec.dashboardUrl,
            notice,
            new Credentials(
                notice.namespace(),
                (secret, key) -> sources.secret(notice.namespace(), secret, key),
                settings.allowed()));
    if (built.request().isEmpty()) {
      refuse(entry, built.problems());
    }
    return built.request();
  }

  private static int destinationIndex(Optional<NotificationPolicy> policy, String name) {
    if (policy.isEmpty() || policy.get().getSpec() == null) {
      return -1;
    }
    var destinations = policy.get().getSpec().destinations;
    for (int i = 0; destinations != null && i < destinations.size(); i++) {
      if (destinations.get(i) != null && name.equals(destinations.get(i).name)) {
        return i;
      }
    }
    return -1;
  }

  /** Sends; null when the destination accepted it, else what went wrong, in words. */
  private String send(Outgoing outgoing) {
    var builder =
        HttpRequest.newBuilder(outgoing.url())
            .timeout(settings.timeout())
            .POST(HttpRequest.BodyPublishers.ofString(outgoing.body()));
    try {
      outgoing.headers().forEach(builder::header);
    } catch (IllegalArgumentException e) {
      // The JDK's message repeats the value, which may come from a Secret: not a word of it.
      return "a header's value is not a valid HTTP header value (a line break, from a Secret?)";
    }
    try {
      var response = http.send(builder.build(), HttpResponse.BodyHandlers.ofString());
      int code = response.statusCode();
      if (code < 200 || code >= 300) {
        return "HTTP " + code;
      }
      return outgoing.acceptance().failureIn(response.body()).orElse(null);
    } catch (HttpTimeoutException e) {
      return "no answer within " + settings.timeout().toMillis() + "ms";
    } catch (IOException e) {
      return "no connection (" + e.getClass().getSimpleName() + ")";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new Stopped();
    }
  }

  private void refuse(LedgerEntry entry, List<SpecProblem> problems) {
    count(entry, "refused");
    ledger.settle(client, rollout(entry), entry.settled(LedgerEntry.State.failed, 0));
    warn(
        entry,
        "NotificationRefused",
        "NotificationPolicy "
            + entry.policy()
            + ": "
            + problems.stream().map(SpecProblem::toString).collect(Collectors.joining("; "))
            + "; nothing sent");
  }

  private void count(LedgerEntry entry, String outcome) {
    metrics.notification(entry.notice().namespace(), entry.policy(), entry.destination(), outcome);
  }

  /** A Warning Event on the rollout about a notice to one destination. */
  private void warn(LedgerEntry entry, String reason, String what) {
    String message =
        entry.notice().trigger()
            + " notice to "
            + entry.policy()
            + "/"
            + entry.destination()
            + ": "
            + what;
    new EventRecorder(client).record(rollout(entry), true, reason, message, clock.instant());
  }

  /** The rollout a ledger entry is about, as far as Events and the ledger need it. */
  private static Rollout rollout(LedgerEntry entry) {
    var rollout = new Rollout();
    rollout.getMetadata().setNamespace(entry.notice().namespace());
    rollout.getMetadata().setName(entry.notice().rollout());
    rollout.getMetadata().setUid(entry.notice().uid());
    return rollout;
  }

  /** The notifier stopped while a request was out: the entry stays pending, for the next start. */
  private static final class Stopped extends RuntimeException {
    Stopped() {
      super(null, null, false, false);
    }
  }

  /** Stops sending: what is pending stays in the ledgers, for the next start. */
  @Override
  public void close() {
    senders.shutdownNow();
    try {
      senders.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    ledger.forget();
    lines.clear();
  }
}
