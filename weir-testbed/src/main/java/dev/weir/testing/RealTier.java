package dev.weir.testing;

import dev.weir.analysis.PrometheusSettings;
import dev.weir.gitops.GitOpsSettings;
import dev.weir.notify.NotificationSettings;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.Optional;

/**
 * The real kube-apiserver, etcd and kube-controller-manager of this JVM ({@link RealControlPlane}),
 * with {@link PodKubelet} running the pods and Weir under the identity and ClusterRole the chart
 * gives it. Each story's namespace is emptied after it, and before it when the story names it.
 */
public final class RealTier implements Tier {

  private RealControlPlane cluster;

  @Override
  public void beforeStory() {
    cluster = RealControlPlane.shared();
  }

  @Override
  public void beforeStory(String namespace) {
    beforeStory();
    cluster.clean(namespace);
  }

  @Override
  public KubernetesClient client() {
    return cluster.admin();
  }

  @Override
  public Kubelet kubelet() {
    return new PodKubelet(cluster.admin());
  }

  @Override
  public RunningWeir startWeir(
      Optional<String> prometheusAddress,
      int metricsPort,
      NotificationSettings notifications,
      GitOpsSettings gitops) {
    return RunningWeir.start(
        cluster.operator(),
        PrometheusSettings.of(prometheusAddress, RunningWeir.QUERY_TIMEOUT),
        notifications,
        gitops,
        metricsPort);
  }

  @Override
  public void afterStory(String namespace) {
    if (namespace != null) {
      cluster.clean(namespace);
    }
  }

  @Override
  public String describe() {
    return "a real kube-apiserver + etcd + kube-controller-manager (1.20) at "
        + cluster.admin().getConfiguration().getMasterUrl();
  }

  /** The cluster, for what only a real one has (its folder, its kubeconfigs). */
  public RealControlPlane cluster() {
    return cluster;
  }
}
