package dev.weir.rollout;

import dev.weir.testing.Kubelet;
import dev.weir.testing.PodKubelet;
import dev.weir.testing.RealControlPlane;
import dev.weir.testing.RunningWeir;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;

/**
 * The analysis stories on the real control plane, against the real Prometheus: AnalysisRuns through
 * the real CRD schema and status subresource, the Secrets and templates read under the chart's
 * ClusterRole, not as cluster-admin.
 */
class AnalysisRealTierTest extends AnalysisScenarios {

  static RealControlPlane cluster;

  @BeforeAll
  static void controlPlane() {
    cluster = RealControlPlane.shared();
  }

  /** Each story has a namespace of its own; emptied after it, so no rollout lingers. */
  @Override
  void afterStory() {
    if (namespace != null) {
      cluster.clean(namespace);
    }
  }

  @Override
  KubernetesClient client() {
    return cluster.admin();
  }

  @Override
  Kubelet kubelet(KubernetesClient client) {
    return new PodKubelet(client);
  }

  @Override
  RunningWeir startWeir(Optional<String> prometheusAddress) {
    return RunningWeir.start(cluster.operator(), prometheusAddress, weirMetricsPort);
  }
}
