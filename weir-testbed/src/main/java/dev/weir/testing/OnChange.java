package dev.weir.testing;

import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import java.util.function.Consumer;

/**
 * What a watching fixture does with an informer's news: looks at each object as it is added or
 * changed, and lets deletions pass (the kubelet stand-ins, the recorders, the demo's views).
 */
public final class OnChange<T> implements ResourceEventHandler<T> {

  private final Consumer<T> look;

  public OnChange(Consumer<T> look) {
    this.look = look;
  }

  @Override
  public void onAdd(T object) {
    look.accept(object);
  }

  @Override
  public void onUpdate(T before, T after) {
    look.accept(after);
  }

  @Override
  public void onDelete(T object, boolean deletedFinalStateUnknown) {}
}
