package dev.weir.testing;

import dev.weir.api.WellKnownNames;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * Every replica count a rollout's ReplicaSets asked for while it watched, as the API server sent
 * them: each change is one snapshot of the desired replicas of all revisions, by pod-template hash.
 * What a story checks bounds on ("never more than the autoscaler's maximum plus maxSurge"),
 * including the moments between two of its own looks. Watching a service's pods instead ({@link
 * #serving}), it also counts their available pods at every change, whoever owns the ReplicaSets (a
 * Deployment and a rollout side by side): "never fewer than 5 available" as a fact.
 */
public final class ReplicaWatch implements AutoCloseable {

  private final Predicate<ReplicaSet> watched;
  private final Map<String, Integer> current = new HashMap<>();
  private final List<Map<String, Integer>> snapshots = new ArrayList<>();
  private final Map<String, Integer> available = new HashMap<>();
  private final List<Integer> availableTotals = new ArrayList<>();
  private boolean seeded;
  private final SharedIndexInformer<ReplicaSet> informer;

  private ReplicaWatch(KubernetesClient client, String namespace, Predicate<ReplicaSet> watched) {
    this.watched = watched;
    this.informer =
        client
            .apps()
            .replicaSets()
            .inNamespace(namespace)
            .inform(
                new ResourceEventHandler<>() {
                  @Override
                  public void onAdd(ReplicaSet rs) {
                    seen(rs, false);
                  }

                  @Override
                  public void onUpdate(ReplicaSet old, ReplicaSet rs) {
                    seen(rs, false);
                  }

                  @Override
                  public void onDelete(ReplicaSet rs, boolean unknownFinalState) {
                    seen(rs, true);
                  }
                });
    seed();
  }

  /** Watches the ReplicaSets of the rollout {@code namespace/rollout} from now on. */
  public static ReplicaWatch of(KubernetesClient client, String namespace, String rollout) {
    return new ReplicaWatch(
        client, namespace, rs -> rs.getMetadata().getName().startsWith(rollout + "-"));
  }

  /**
   * Watches every ReplicaSet in {@code namespace} whose pods carry {@code podLabels}, a
   * Deployment's as well as a rollout's, from now on.
   */
  public static ReplicaWatch serving(
      KubernetesClient client, String namespace, Map<String, String> podLabels) {
    return new ReplicaWatch(
        client,
        namespace,
        rs -> {
          var template = rs.getSpec().getTemplate();
          var labels = template == null ? null : template.getMetadata().getLabels();
          return labels != null && labels.entrySet().containsAll(podLabels.entrySet());
        });
  }

  /**
   * Counts from the informer's first full list: its first events, told one ReplicaSet at a time,
   * would show moments that never were (one ReplicaSet counted, the next not yet).
   */
  private synchronized void seed() {
    informer.getStore().list().stream().filter(watched).forEach(this::put);
    seeded = true;
    record();
  }

  private synchronized void seen(ReplicaSet rs, boolean deleted) {
    if (!watched.test(rs)) {
      return;
    }
    if (deleted) {
      current.remove(key(rs));
      available.remove(rs.getMetadata().getName());
    } else {
      put(rs);
    }
    if (seeded) {
      record();
    }
  }

  private void put(ReplicaSet rs) {
    Integer replicas = rs.getSpec().getReplicas();
    if (replicas == null) {
      current.remove(key(rs));
    } else {
      current.put(key(rs), replicas);
    }
    var status = rs.getStatus();
    Integer ready = status == null ? null : status.getAvailableReplicas();
    available.put(rs.getMetadata().getName(), ready == null ? 0 : ready);
  }

  private void record() {
    snapshots.add(new TreeMap<>(current));
    availableTotals.add(available.values().stream().mapToInt(Integer::intValue).sum());
  }

  /** A rollout's revision by its pod-template hash; anyone else's ReplicaSet by its name. */
  private static String key(ReplicaSet rs) {
    var labels = rs.getMetadata().getLabels();
    String hash = labels == null ? null : labels.get(WellKnownNames.POD_TEMPLATE_HASH_LABEL);
    return hash == null ? rs.getMetadata().getName() : hash;
  }

  /** The most pods all revisions together asked for at any moment. */
  public synchronized int mostInTotal() {
    return snapshots.stream()
        .mapToInt(s -> s.values().stream().mapToInt(Integer::intValue).sum())
        .max()
        .orElse(0);
  }

  /** The most pods one revision asked for at any moment. */
  public synchronized int mostOf(String hash) {
    return snapshots.stream().mapToInt(s -> s.getOrDefault(hash, 0)).max().orElse(0);
  }

  /** The fewest available pods of all the watched ReplicaSets together at any moment. */
  public synchronized int fewestAvailable() {
    return availableTotals.stream().mapToInt(Integer::intValue).min().orElse(0);
  }

  /** The available pods of all the watched ReplicaSets together, at every change, in order. */
  public synchronized List<Integer> availableTotals() {
    return List.copyOf(availableTotals);
  }

  /** Every snapshot, for a failing check's message. */
  public synchronized List<Map<String, Integer>> snapshots() {
    return List.copyOf(snapshots);
  }

  @Override
  public void close() {
    informer.close();
  }
}
