package dev.weir.rollout;

import dev.weir.api.v1alpha1.Rollout;
import dev.weir.api.v1alpha1.RolloutPhase;
import dev.weir.testing.Kubelet;
import dev.weir.testing.Manifests;
import dev.weir.testing.PrometheusServer;
import dev.weir.testing.RolloutScenario;
import dev.weir.testing.RunningWeir;
import dev.weir.testing.Tier;
import dev.weir.testing.mesh.TrafficSimulator;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.NonDeletingOperation;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

/**
 * What the stories judged by the real Prometheus share: one Prometheus per test class scraping the
 * simulated mesh on a fixed port, and for each story a namespace of its own (so that Prometheus'
 * memory of the last one cannot judge it), the templates of analysis-templates/ applied unchanged,
 * a kubelet stand-in, the mesh and Weir.
 *
 * <p>Releases judged by the real Prometheus: the example of examples/canary-analysis with the
 * templates of analysis-templates/ applied unchanged, scraped from a simulated mesh that follows
 * the VirtualService weights and answers as the pod template's annotations say. The rollout's own
 * args make the windows short (10 s) and the measurements quick (every second); each story runs in
 * a namespace of its own, so that Prometheus' memory of the last one cannot judge it.
 */
abstract class MeshStories {

  static final String V2 = "registry.example/checkout:2.5.0";
  static final double BUSY = 100;
  private static final AtomicInteger STORIES = new AtomicInteger();

  static PrometheusServer prometheus;
  static int meshPort;
  static int weirMetricsPort;

  String namespace;
  Kubelet kubelet;
  RunningWeir weir;
  TrafficSimulator mesh;
  RolloutScenario checkout;

  final Tier tier;

  MeshStories(Tier tier) {
    this.tier = tier;
  }

  KubernetesClient client() {
    return tier.client();
  }

  @BeforeEach
  void startTier() {
    tier.beforeStory();
  }

  @BeforeAll
  static void startPrometheus() throws IOException {
    meshPort = freePort();
    weirMetricsPort = freePort();
    // The mesh, and Weir's own metrics (for the dashboards).
    prometheus =
        PrometheusServer.start(List.of("127.0.0.1:" + meshPort, "127.0.0.1:" + weirMetricsPort));
  }

  static int freePort() throws IOException {
    try (var socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  @AfterAll
  static void stopPrometheus() {
    prometheus.close();
  }

  @AfterEach
  void stopEverything() {
    Stream.of(weir, mesh, kubelet)
        .filter(c -> c != null)
        .forEach(
            c -> {
              try {
                c.close();
              } catch (Exception e) {
                throw new IllegalStateException(e);
              }
            });
    if (!prometheus.running()) {
      prometheus.restart();
    }
    tier.afterStory(namespace);
  }

  /** The rollout a story starts from, in the story's namespace. */
  abstract Rollout firstRollout();

  /** The Services and VirtualService of the example a story is about. */
  abstract List<String> exampleTraffic();

  /** Given v1 stable and healthy, the templates applied, the mesh carrying {@code rps}. */
  void givenStableV1(double rps) {
    namespace = "shop-" + STORIES.incrementAndGet();
    var client = client();
    client
        .resource(
            new NamespaceBuilder().withNewMetadata().withName(namespace).endMetadata().build())
        .createOr(NonDeletingOperation::update);
    exampleTraffic().forEach(this::applyInNamespace);
    try (var templates = Files.list(Path.of("analysis-templates"))) {
      templates
          .filter(f -> f.toString().endsWith(".yaml"))
          .sorted()
          .forEach(f -> applyInNamespace(f.toString()));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    kubelet = tier.kubelet().start();
    mesh = TrafficSimulator.start(client, namespace, rps, 42, meshPort);
    weir = tier.startWeir(Optional.of(prometheus.address().toString()), weirMetricsPort);
    client.resource(firstRollout()).create();
    checkout = new RolloutScenario(client, namespace, "checkout");
    checkout.awaitStatus("v1 healthy", s -> s.phase == RolloutPhase.Healthy);
    // Prometheus scrapes the story's mesh before anything is judged: a new server takes a few
    // seconds to start scraping a target, and a story must not lose them to that.
    prometheus.awaitSeries(
        "sum(rate(istio_requests_total{destination_service_namespace=\""
            + namespace
            + "\"}[10s])) > 0");
  }

  /** {@code kubectl apply -n <story namespace> -f path}. */
  void applyInNamespace(String path) {
    for (HasMetadata object : Manifests.load(path)) {
      object.getMetadata().setNamespace(namespace);
      client().resource(object).createOr(NonDeletingOperation::update);
    }
  }
}
