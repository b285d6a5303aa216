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

/**
 * Every replica count a rollout's ReplicaSets asked for while it watched, as the API server sent
 * them: each change is one snapshot of the desired replicas of all revisions, by pod-template hash.
 * What a story checks bounds on ("never more than the autoscaler's maximum plus maxSurge"),
 * including the moments between two of its own looks.
 */
public final class ReplicaWatch implements AutoCloseable {

  private final String rollout;
  private final Map<String, Integer> current = new HashMap<>();
  private final List<Map<String, Integer>> snapshots = new ArrayList<>();
  private final SharedIndexInformer<ReplicaSet> informer;

  private ReplicaWatch(KubernetesClient client, String namespace, String rollout) {
    this.rollout = rollout;
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
  }

  /** Watches the ReplicaSets of the rollout {@code namespace/rollout} from now on. */
  public static ReplicaWatch of(KubernetesClient client, String namespace, String rollout) {
    return new ReplicaWatch(client, namespace, rollout);
  }

  private synchronized void seen(ReplicaSet rs, boolean deleted) {
    if (!rs.getMetadata().getName().startsWith(rollout + "-")) {
      return;
    }
    String hash = rs.getMetadata().getLabels().get(WellKnownNames.POD_TEMPLATE_HASH_LABEL);
    Integer replicas = rs.getSpec().getReplicas();
    if (deleted || replicas == null) {
      current.remove(hash);
    } else {
      current.put(hash, replicas);
    }
    snapshots.add(new TreeMap<>(current));
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

  /** Every snapshot, for a failing check's message. */
  public synchronized List<Map<String, Integer>> snapshots() {
    return List.copyOf(snapshots);
  }

  @Override
  public void close() {
    informer.close();
  }
}
