package dev.weir.notify;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.weir.api.WellKnownNames;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.time.Clock;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * What was told about each rollout, kept in a ConfigMap beside it ({@code
 * weir-notifications-ROLLOUT}, owned by the rollout, so it goes when the rollout goes): one key per
 * notice and destination, pending until the destination accepted it. A notice is recorded before
 * the status that follows its event is written, and each entry is written by a merge patch of its
 * own key, so the reconcile and the sender never conflict.
 *
 * <p>Delivery is at least once: after a restart the pending entries are sent again. A notice whose
 * key the ledger holds from the last {@code dedupWindow} is not sent again, whichever process
 * recorded it.
 */
public final class NotificationLedger {

  private static final Logger LOG = Logger.getLogger(NotificationLedger.class);

  /** The label of ledger ConfigMaps, which the controller's informer selects. */
  public static final String LABEL = WellKnownNames.GROUP + "/notification-ledger";

  private static final String PREFIX = "weir-notifications-";

  private final Duration window;
  private final Clock clock;

  /** The entries of each rollout this process has adopted, by rollout uid, then by key. */
  private final Map<String, Map<String, LedgerEntry>> known = new ConcurrentHashMap<>();

  public NotificationLedger(Duration window, Clock clock) {
    this.window = window;
    this.clock = clock;
  }

  /** The name of a rollout's ledger. */
  public static String nameOf(String rollout) {
    return PREFIX + rollout;
  }

  /**
   * Takes up a rollout's ledger as the informer holds it, the first time this process sees the
   * rollout; returns the entries still pending then (to be sent again), and nothing later.
   */
  public synchronized List<LedgerEntry> adopt(String uid, Optional<ConfigMap> cached) {
    if (known.containsKey(uid)) {
      return List.of();
    }
    var entries = new ConcurrentHashMap<String, LedgerEntry>();
    var pending = new ArrayList<LedgerEntry>();
    var data = cached.map(ConfigMap::getData).orElse(Map.of());
    data.forEach(
        (key, json) ->
            read(key, json)
                .ifPresent(
                    entry -> {
                      entries.put(key, entry);
                      if (entry.state() == LedgerEntry.State.pending) {
                        pending.add(entry);
                      }
                    }));
    known.put(uid, entries);
    // In the order they were told, so that each destination gets them in that order again.
    pending.sort(java.util.Comparator.comparing(LedgerEntry::recordedAt));
    return pending;
  }

  /**
   * Records a notice to a destination as pending, unless it was recorded within the window; then it
   * returns false and nothing is written.
   *
   * @throws KubernetesClientException when the ledger cannot be written: the notice must not be
   *     queued as if it were safe
   */
  public synchronized boolean record(
      KubernetesClient client, HasMetadata rollout, LedgerEntry entry) {
    var entries =
        known.computeIfAbsent(rollout.getMetadata().getUid(), uid -> new ConcurrentHashMap<>());
    var earlier = entries.get(entry.key());
    var now = clock.instant();
    if (earlier != null && earlier.recordedAt().plus(window).isAfter(now)) {
      return false;
    }
    var changes = new HashMap<String, String>();
    changes.put(entry.key(), write(entry));
    // Entries past the window that are settled go, so that the ledger stays small.
    entries.forEach(
        (key, e) -> {
          if (e.state() != LedgerEntry.State.pending && e.recordedAt().plus(window).isBefore(now)) {
            changes.put(key, null);
          }
        });
    patch(client, rollout, changes);
    changes.forEach(
        (key, value) -> {
          if (value == null) {
            entries.remove(key);
          }
        });
    entries.put(entry.key(), entry);
    return true;
  }

  /** Records that a destination accepted a notice, or that it was given up. */
  public synchronized void settle(KubernetesClient client, HasMetadata rollout, LedgerEntry entry) {
    var changes = new HashMap<String, String>();
    changes.put(entry.key(), write(entry));
    try {
      patch(client, rollout, changes);
    } catch (KubernetesClientException e) {
      // At least once: an entry left pending is sent again after a restart, never lost.
      LOG.warnf(
          "ledger of %s/%s not updated for %s: %s",
          rollout.getMetadata().getNamespace(),
          rollout.getMetadata().getName(),
          entry.key(),
          e.getMessage());
    }
    known
        .computeIfAbsent(rollout.getMetadata().getUid(), uid -> new ConcurrentHashMap<>())
        .put(entry.key(), entry);
  }

  /** Forgets what this process adopted (the controller stops). */
  public void forget() {
    known.clear();
  }

  /** A new entry of a notice to a destination, recorded now. */
  public LedgerEntry pending(Notice notice, String policy, String destination) {
    return new LedgerEntry(
        notice,
        policy,
        destination,
        LedgerEntry.State.pending,
        clock.instant().truncatedTo(ChronoUnit.SECONDS).toString(),
        0);
  }

  private static void patch(
      KubernetesClient client, HasMetadata rollout, Map<String, String> data) {
    String namespace = rollout.getMetadata().getNamespace();
    String name = nameOf(rollout.getMetadata().getName());
    var body = new HashMap<String, Object>();
    body.put("data", data);
    String json = Serialization.asJson(body);
    var configMaps = client.configMaps().inNamespace(namespace).withName(name);
    try {
      configMaps.patch(PatchContext.of(PatchType.JSON_MERGE), json);
    } catch (KubernetesClientException e) {
      if (e.getCode() != 404) {
        throw e;
      }
      var created = new HashMap<String, String>();
      data.forEach(
          (k, v) -> {
            if (v != null) {
              created.put(k, v);
            }
          });
      try {
        client
            .configMaps()
            .inNamespace(namespace)
            .resource(ledger(rollout, name, created))
            .create();
      } catch (KubernetesClientException conflict) {
        if (conflict.getCode() != 409) {
          throw conflict;
        }
        configMaps.patch(PatchContext.of(PatchType.JSON_MERGE), json);
      }
    }
  }

  private static ConfigMap ledger(HasMetadata rollout, String name, Map<String, String> data) {
    var meta = rollout.getMetadata();
    return new ConfigMapBuilder()
        .withNewMetadata()
        .withName(name)
        .withNamespace(meta.getNamespace())
        .addToLabels(LABEL, "true")
        .addToLabels(WellKnownNames.ROLLOUT_LABEL, meta.getName())
        .withOwnerReferences(
            new OwnerReferenceBuilder()
                .withApiVersion(rollout.getApiVersion())
                .withKind(rollout.getKind())
                .withName(meta.getName())
                .withUid(meta.getUid())
                .build())
        .endMetadata()
        .withData(data)
        .build();
  }

  private static String write(LedgerEntry entry) {
    return Serialization.asJson(entry);
  }

  private static Optional<LedgerEntry> read(String key, String json) {
    try {
      return Optional.of(Serialization.jsonMapper().readValue(json, LedgerEntry.class));
    } catch (JsonProcessingException | IllegalArgumentException e) {
      LOG.warnf("ledger entry %s is unreadable, left alone: %s", key, e.getMessage());
      return Optional.empty();
    }
  }
}
