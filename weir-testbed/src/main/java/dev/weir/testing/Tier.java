package dev.weir.testing;

import dev.weir.gitops.GitOpsSettings;
import dev.weir.notify.NotificationSettings;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.Optional;

/**
 * An API server a story runs on, with what goes with it: the client a user (or GitOps) acts
 * through, the kubelet stand-in, and Weir's controller under the identity that tier gives it.
 */
public interface Tier {

  /** Gets the API server ready for a story. */
  void beforeStory();

  /**
   * Gets the API server ready for a story in {@code namespace}: a server that outlives one story
   * empties the namespace of what an earlier story, or test class, left there.
   */
  default void beforeStory(String namespace) {
    beforeStory();
  }

  /** The client of a cluster admin: the story's own actions. */
  KubernetesClient client();

  /** The kubelet stand-in of this tier, not yet started. */
  Kubelet kubelet();

  /**
   * Weir's controller, started, with the default Prometheus address of metrics naming none, its own
   * metrics served on {@code metricsPort} (0: a free one).
   */
  default RunningWeir startWeir(Optional<String> prometheusAddress, int metricsPort) {
    return startWeir(prometheusAddress, metricsPort, NotificationSettings.defaults());
  }

  /** Weir's controller, started as above, sending notices with these settings. */
  default RunningWeir startWeir(
      Optional<String> prometheusAddress, int metricsPort, NotificationSettings notifications) {
    return startWeir(prometheusAddress, metricsPort, notifications, GitOpsSettings.defaults());
  }

  /** Weir's controller, started as above, writing aborts back to git with these settings. */
  RunningWeir startWeir(
      Optional<String> prometheusAddress,
      int metricsPort,
      NotificationSettings notifications,
      GitOpsSettings gitops);

  /** Clears up after a story that ran in {@code namespace}, once Weir has stopped. */
  void afterStory(String namespace);

  /** A human name for messages. */
  String describe();
}
