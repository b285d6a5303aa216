package dev.weir.testing;

import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.util.Objects;

/**
 * Plays the kubelet and the ReplicaSet controller where neither runs (the mock API server): reports
 * a ReplicaSet's pods as existing, ready and available as soon as its spec asks for them, except
 * for the ReplicaSets a scenario says never get ready (their pods exist but stay unready).
 */
public final class ReplicaSetKubelet extends InformerKubelet<ReplicaSet> {

  private final KubernetesClient client;

  public ReplicaSetKubelet(KubernetesClient client) {
    this.client = client;
  }

  @Override
  public ReplicaSetKubelet start() {
    startInforming();
    return this;
  }

  @Override
  protected SharedIndexInformer<ReplicaSet> inform(ResourceEventHandler<ReplicaSet> handler) {
    return client.apps().replicaSets().inAnyNamespace().inform(handler);
  }

  @Override
  protected synchronized void examine(ReplicaSet rs) {
    if (frozen) {
      return;
    }
    int desired = rs.getSpec().getReplicas() == null ? 1 : rs.getSpec().getReplicas();
    int ready = neverReady.test(rs.getSpec().getTemplate()) ? 0 : desired;
    var status =
        new ReplicaSetStatusBuilder()
            .withReplicas(desired)
            .withFullyLabeledReplicas(desired)
            .withReadyReplicas(ready)
            .withAvailableReplicas(ready)
            .withObservedGeneration(rs.getMetadata().getGeneration())
            .build();
    var current = rs.getStatus();
    if (current != null
        && Objects.equals(current.getReplicas(), status.getReplicas())
        && Objects.equals(current.getReadyReplicas(), status.getReadyReplicas())
        && Objects.equals(current.getAvailableReplicas(), status.getAvailableReplicas())) {
      return;
    }
    try {
      client
          .apps()
          .replicaSets()
          .inNamespace(rs.getMetadata().getNamespace())
          .withName(rs.getMetadata().getName())
          .editStatus(
              latest -> {
                latest.setStatus(status);
                return latest;
              });
    } catch (KubernetesClientException e) {
      if (e.getCode() != 404 && e.getCode() != 409) {
        throw e;
      }
    }
  }
}
