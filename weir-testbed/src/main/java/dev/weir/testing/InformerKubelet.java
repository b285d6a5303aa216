package dev.weir.testing;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.util.function.Predicate;

/**
 * The part every kubelet stand-in shares: it looks at each object of one kind as it is added or
 * changed, and at all of them again when a scenario changes what becomes ready.
 */
abstract class InformerKubelet<T extends HasMetadata> implements Kubelet {

  protected volatile Predicate<PodTemplateSpec> neverReady = template -> false;
  protected volatile boolean frozen;
  private SharedIndexInformer<T> informer;

  /** Starts the informer of the kind this stand-in plays for, with the given handler. */
  protected abstract SharedIndexInformer<T> inform(ResourceEventHandler<T> handler);

  /** Brings one object's readiness to what the scenario's policy says. */
  protected abstract void examine(T object);

  protected final void startInforming() {
    informer = inform(new OnChange<>(this::examine));
  }

  protected final SharedIndexInformer<T> informer() {
    return informer;
  }

  @Override
  public void neverReady(Predicate<PodTemplateSpec> which) {
    this.neverReady = which;
    examineAll();
  }

  @Override
  public void freeze() {
    frozen = true;
  }

  @Override
  public void thaw() {
    frozen = false;
    examineAll();
  }

  private void examineAll() {
    informer.getStore().list().forEach(this::examine);
  }

  @Override
  public void close() {
    if (informer != null) {
      informer.close();
    }
  }
}
