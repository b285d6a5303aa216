package dev.weir.testing;

import dev.weir.api.WellKnownNames;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.util.HashMap;
import java.util.Map;

/**
 * Watches a namespace's ReplicaSets and remembers the fewest replicas each revision (by
 * pod-template hash) was ever asked for: "the old side was never scaled down" as a fact; and the
 * most each owner's ReplicaSets were asked for: "nothing of that rollout ever ran".
 */
public final class ReplicaRecorder implements AutoCloseable {

  private final Map<String, Integer> fewest = new HashMap<>();
  private final Map<String, Integer> mostByOwner = new HashMap<>();
  private final SharedIndexInformer<ReplicaSet> informer;

  public ReplicaRecorder(KubernetesClient client, String namespace) {
    informer =
        client.apps().replicaSets().inNamespace(namespace).inform(new OnChange<>(this::record));
  }

  private synchronized void record(ReplicaSet rs) {
    var labels = rs.getMetadata().getLabels();
    String hash = labels == null ? null : labels.get(WellKnownNames.POD_TEMPLATE_HASH_LABEL);
    if (hash != null && rs.getSpec().getReplicas() != null) {
      fewest.merge(hash, rs.getSpec().getReplicas(), Math::min);
    }
    int replicas = rs.getSpec().getReplicas() == null ? 0 : rs.getSpec().getReplicas();
    for (var owner : rs.getMetadata().getOwnerReferences()) {
      mostByOwner.merge(owner.getKind() + "/" + owner.getName(), replicas, Math::max);
    }
  }

  /** The fewest replicas the revision's ReplicaSet was asked for since recording began. */
  public synchronized int fewest(String hash) {
    return fewest.getOrDefault(hash, -1);
  }

  /**
   * Every owner ({@code Kind/name}) of a ReplicaSet seen since recording began, with the most
   * replicas its ReplicaSets were asked for.
   */
  public synchronized Map<String, Integer> mostReplicasByOwner() {
    return Map.copyOf(mostByOwner);
  }

  @Override
  public void close() {
    informer.close();
  }
}
