package dev.weir.testing;

import dev.weir.analysis.PrometheusSettings;
import dev.weir.gitops.GitOpsSettings;
import dev.weir.notify.NotificationSettings;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import java.net.InetAddress;
import java.util.HashMap;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The fabric8 mock API server in CRUD mode, a fresh one per story, with Weir's and Istio's CRDs:
 * the fast tier. It checks no resourceVersion, schema or permission; {@link RealTier} does.
 */
public final class MockTier implements Tier {

  private final Supplier<? extends KubernetesCrudDispatcher> dispatchers;
  private KubernetesMockServer server;
  private KubernetesClient client;

  public MockTier() {
    this(KubernetesCrudDispatcher::new);
  }

  /**
   * With the CRUD dispatcher each story's server uses, made afresh for each story: one that amends
   * writes as an admission webhook would ({@link MockAdmission}).
   */
  public MockTier(Supplier<? extends KubernetesCrudDispatcher> dispatchers) {
    this.dispatchers = dispatchers;
  }

  @Override
  public void beforeStory() {
    server =
        new KubernetesMockServer(
            new Context(), new MockWebServer(), new HashMap<>(), dispatchers.get(), false);
    server.init(InetAddress.getLoopbackAddress(), 0);
    client = server.createClient();
    Manifests.applyCrds(client);
  }

  @Override
  public KubernetesClient client() {
    return client;
  }

  @Override
  public Kubelet kubelet() {
    return new ReplicaSetKubelet(client);
  }

  @Override
  public RunningWeir startWeir(
      Optional<String> prometheusAddress,
      int metricsPort,
      NotificationSettings notifications,
      GitOpsSettings gitops) {
    return RunningWeir.start(
        client,
        PrometheusSettings.of(prometheusAddress, RunningWeir.QUERY_TIMEOUT),
        notifications,
        gitops,
        metricsPort);
  }

  @Override
  public void afterStory(String namespace) {
    client.close();
    server.destroy();
  }

  @Override
  public String describe() {
    return "the fabric8 mock API server (CRUD mode) at " + client.getConfiguration().getMasterUrl();
  }
}
