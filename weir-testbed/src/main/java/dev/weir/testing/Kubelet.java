package dev.weir.testing;

import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import java.util.function.Predicate;

/**
 * A test fixture that plays the kubelet where no pods run: it makes the pods a scenario's
 * ReplicaSets ask for ready, slowly, or never, so that Weir sees the status a real cluster would
 * show.
 */
public interface Kubelet extends AutoCloseable {

  Kubelet start();

  /** From now on, pods made from a template that matches never become ready. */
  void neverReady(Predicate<PodTemplateSpec> which);

  /** Holds every pod as it is: new pods stay unready until {@link #thaw}. */
  void freeze();

  void thaw();

  @Override
  void close();

  /** Pods that run this image never become ready. */
  static Predicate<PodTemplateSpec> image(String image) {
    return template ->
        template.getSpec().getContainers().stream().anyMatch(c -> image.equals(c.getImage()));
  }
}
