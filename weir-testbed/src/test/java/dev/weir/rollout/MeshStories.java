package dev.weir.rollout;

import static dev.weir.testing.RolloutAssert.awaitRollout;

import dev.weir.api.v1alpha1.Rollout;
import dev.weir.testing.Manifests;
import dev.weir.testing.PrometheusServer;
import dev.weir.testing.RolloutScenario;
import dev.weir.testing.Scrape;
import dev.weir.testing.Tier;
import dev.weir.testing.mesh.TrafficSimulator;
import java.io.IOException;
import java.net.ServerSocket;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;

/**
 * What the stories judged by the real Prometheus share: one Prometheus per test class scraping the
 * simulated mesh on a fixed port, and for each story a namespace of its own (so that Prometheus'
 * memory of the last one cannot judge it), the templates of analysis-templates/ applied unchanged,
 * the mesh, and the kubelet stand-in and Weir of the story's tier.
 */
abstract class MeshStories extends ReleaseStories {

  static final String V2 = "registry.example/checkout:2.5.0";
  static final double BUSY = 100;
  private static final AtomicInteger STORIES = new AtomicInteger();

  static PrometheusServer prometheus;
  static int meshPort;
  static int weirMetricsPort;

  TrafficSimulator mesh;

  MeshStories(Tier tier) {
    super(tier);
    namespace = "shop-" + STORIES.incrementAndGet();
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

  /** A story may stop Prometheus; the next one finds it running. */
  @AfterEach
  void restartAStoppedPrometheus() {
    if (!prometheus.running()) {
      prometheus.restart();
    }
  }

  /** The rollout a story starts from, in the story's namespace. */
  abstract Rollout firstRollout();

  /** The Services and VirtualService of the example a story is about. */
  abstract List<String> exampleTraffic();

  /** Given v1 stable and healthy, the templates applied, the mesh carrying {@code rps}. */
  void givenStableV1(double rps) {
    var client = client();
    Manifests.applyNamespace(client, namespace);
    exampleTraffic().forEach(path -> Manifests.applyIn(client, namespace, path));
    Manifests.analysisTemplates().forEach(path -> Manifests.applyIn(client, namespace, path));
    startKubeletAndWeir(Optional.of(prometheus.address().toString()), weirMetricsPort);
    mesh = TrafficSimulator.start(client, namespace, rps, 42, meshPort);
    closeables.add(mesh);
    client.resource(firstRollout()).create();
    checkout = new RolloutScenario(client, namespace, "checkout");
    awaitRollout(checkout, "v1 healthy", r -> r.isHealthy());
    // Prometheus scrapes the story's mesh before anything is judged: a new server takes a few
    // seconds to start scraping a target, and a story must not lose them to that.
    prometheus.awaitSeries(
        "sum(rate(istio_requests_total{destination_service_namespace=\""
            + namespace
            + "\"}[10s])) > 0");
  }

  /**
   * Smoke tests sending {@code rps} requests a second straight to {@code service}, their requests
   * in Prometheus before anything is judged by them.
   */
  void smokeTestsTo(String service, double rps) {
    mesh.sendDirect(service, rps);
    prometheus.awaitSeries(
        "sum(rate(istio_requests_total{destination_service_name=\""
            + service
            + "\",destination_service_namespace=\""
            + namespace
            + "\"}[10s])) > 0");
  }

  /** The labels with one more. */
  static Map<String, String> with(Map<String, String> labels, String name, String value) {
    var more = new java.util.HashMap<>(labels);
    more.put(name, value);
    return more;
  }

  /** Weir's own metrics, as Prometheus would scrape them now. */
  Scrape scrape() {
    return new Scrape(weir.scrapeMetrics());
  }

  /** Requests to these Services that found no ready pod (Envoy's 503 UH) so far. */
  long unanswered(String... services) {
    long sum = 0;
    for (String service : services) {
      sum += mesh.noHealthyUpstream(service);
    }
    return sum;
  }

  /** When v2 is declared, its pods answering as the annotations say; returns v2's hash. */
  String whenV2IsReleased(Map<String, String> behaviour) {
    return checkout.release(V2, behaviour);
  }
}
