package dev.weir.testing;

import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * Plays the kubelet and the ReplicaSet controller where neither runs (the mock API server): reports
 * a ReplicaSet's pods as existing, ready and available as soon as its spec asks for them, except
 * for the ReplicaSets a scenario says never get ready (their pods exist but stay unready).
 */
public final class ReplicaSetKubelet implements Kubelet {

  private final KubernetesClient client;
  private volatile Predicate<PodTemplateSpec> neverReady = template -> false;
  private volatile boolean frozen;
  private SharedIndexInformer<ReplicaSet> informer;

  public ReplicaSetKubelet(KubernetesClient client) {
    this.client = client;
  }

  @Override
  public ReplicaSetKubelet start() {
    informer =
        client
            .apps()
            .replicaSets()
            .inAnyNamespace()
            .inform(
                new ResourceEventHandler<>() {
                  @Override
                  public void onAdd(ReplicaSet rs) {
                    report(rs);
                  }

                  @Override
                  public void onUpdate(ReplicaSet before, ReplicaSet rs) {
                    report(rs);
                  }

                  @Override
                  public void onDelete(ReplicaSet rs, boolean unknown) {}
                });
    return this;
  }

  @Override
  public void neverReady(Predicate<PodTemplateSpec> which) {
    this.neverReady = which;
    informer.getStore().list().forEach(this::report);
  }

  @Override
  public void freeze() {
    frozen = true;
  }

  @Override
  public void thaw() {
    frozen = false;
    informer.getStore().list().forEach(this::report);
  }

  private synchronized void report(ReplicaSet rs) {
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

  @Override
  public void close() {
    if (informer != null) {
      informer.close();
    }
  }
}
