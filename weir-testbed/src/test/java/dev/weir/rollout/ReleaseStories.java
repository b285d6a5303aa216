package dev.weir.rollout;

import dev.weir.gitops.GitOpsSettings;
import dev.weir.notify.NotificationSettings;
import dev.weir.testing.Kubelet;
import dev.weir.testing.RolloutScenario;
import dev.weir.testing.RunningWeir;
import dev.weir.testing.Tier;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * What every release story shares, written once and run on every tier of API server (each subclass
 * of a story class says which {@link Tier}): the kubelet stand-in and Weir it starts on that tier,
 * the rollout it releases, and what else it opens, all closed when it ends.
 */
abstract class ReleaseStories {

  final Tier tier;

  /** The namespace the story releases in. */
  String namespace = "shop";

  Kubelet kubelet;
  RunningWeir weir;
  RolloutScenario checkout;

  /** Opened by the story, closed at its end, the last opened first. */
  final List<AutoCloseable> closeables = new ArrayList<>();

  private Optional<String> prometheusAddress = Optional.empty();
  private int weirMetricsPort;
  private NotificationSettings notifications = NotificationSettings.defaults();

  /** The git write-back settings Weir starts with: a story that writes to git allows its server. */
  GitOpsSettings gitops = GitOpsSettings.defaults();

  ReleaseStories(Tier tier) {
    this.tier = tier;
  }

  /** The client of a cluster admin: the story's own actions, a user's or GitOps'. */
  KubernetesClient client() {
    return tier.client();
  }

  @BeforeEach
  void readyTheApiServer() {
    tier.beforeStory(namespace);
  }

  /**
   * Starts the tier's kubelet stand-in, and Weir with the default Prometheus address of metrics
   * naming none, its own metrics served on {@code metricsPort} (0: a free one).
   */
  void startKubeletAndWeir(Optional<String> prometheusAddress, int metricsPort) {
    this.prometheusAddress = prometheusAddress;
    this.weirMetricsPort = metricsPort;
    kubelet = tier.kubelet().start();
    weir = startWeir(prometheusAddress, metricsPort);
  }

  /**
   * Weir as the tier runs it, sending notices with the story's settings; a story that puts
   * something between Weir and its world says so.
   */
  RunningWeir startWeir(Optional<String> prometheusAddress, int metricsPort) {
    return tier.startWeir(prometheusAddress, metricsPort, notifications, gitops);
  }

  /** Starts the kubelet stand-in, and Weir sending notices with these settings. */
  void startKubeletAndWeir(NotificationSettings notifications) {
    this.notifications = notifications;
    startKubeletAndWeir(Optional.empty(), 0);
  }

  /** Stops Weir (what it had not sent stays in the ledgers); {@link #startWeirAgain} follows. */
  void stopWeir() {
    weir.close();
    weir = null;
  }

  void startWeirAgain() {
    weir = startWeir(prometheusAddress, weirMetricsPort);
  }

  /** Stops Weir and starts it again: it keeps nothing but what is in the cluster. */
  void restartWeir() {
    weir.close();
    weir = startWeir(prometheusAddress, weirMetricsPort);
  }

  @AfterEach
  void stopEverything() throws Exception {
    try {
      Collections.reverse(closeables);
      for (var c : closeables) {
        c.close();
      }
      if (weir != null) {
        weir.close();
      }
      if (kubelet != null) {
        kubelet.close();
      }
    } finally {
      tier.afterStory(namespace);
    }
  }
}
