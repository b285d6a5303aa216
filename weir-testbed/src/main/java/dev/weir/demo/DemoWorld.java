package dev.weir.demo;

import dev.weir.testing.Kubelet;
import dev.weir.testing.MockTier;
import dev.weir.testing.PrometheusServer;
import dev.weir.testing.RealTier;
import dev.weir.testing.Tier;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Where the demo runs: the real control plane of this machine when it can be provisioned (else the
 * fabric8 mock API server, and the demo says so), the real Prometheus (installed from Debian's
 * package when missing and allowed), and the kubelet stand-in of the chosen API server.
 */
final class DemoWorld implements AutoCloseable {

  final Tier tier;
  final Kubelet kubelet;
  final PrometheusServer prometheus;
  final int meshPort;
  final Optional<Path> kubeconfig;

  private DemoWorld(
      Tier tier,
      Kubelet kubelet,
      PrometheusServer prometheus,
      int meshPort,
      Optional<Path> kubeconfig) {
    this.tier = tier;
    this.kubelet = kubelet;
    this.prometheus = prometheus;
    this.meshPort = meshPort;
    this.kubeconfig = kubeconfig;
  }

  static DemoWorld start(PrintStream out, boolean mockOnly) throws IOException {
    ensurePrometheus(out);
    int meshPort;
    try (var socket = new ServerSocket(0)) {
      meshPort = socket.getLocalPort();
    }
    Tier tier = mockOnly ? null : realControlPlane(out);
    Optional<Path> kubeconfig = Optional.empty();
    if (tier instanceof RealTier real) {
      kubeconfig = adminKubeconfig(real.cluster().dir());
    } else {
      tier = new MockTier();
      tier.beforeStory();
    }
    out.println("demo: API server: " + tier.describe());
    var prometheus = PrometheusServer.start(List.of("127.0.0.1:" + meshPort));
    out.println(
        "demo: Prometheus "
            + prometheus.address()
            + " scraping the simulated mesh at 127.0.0.1:"
            + meshPort);
    return new DemoWorld(tier, tier.kubelet().start(), prometheus, meshPort, kubeconfig);
  }

  KubernetesClient admin() {
    return tier.client();
  }

  /** The real control plane, or null (after saying why) when it cannot be provisioned here. */
  private static Tier realControlPlane(PrintStream out) {
    out.println(
        "demo: starting a real control plane (hack/kube-provision.sh; the first time it builds"
            + " kube-apiserver from Debian's source package, about five minutes)");
    try {
      var tier = new RealTier();
      tier.beforeStory();
      return tier;
    } catch (RuntimeException e) {
      out.println("demo: the real control plane could not start: " + firstLine(e.getMessage()));
      out.println("demo: falling back to the fabric8 mock API server");
      return null;
    }
  }

  private static Optional<Path> adminKubeconfig(Path dir) {
    try (var files = Files.walk(dir, 2)) {
      return files.filter(f -> f.getFileName().toString().equals("admin.kubeconfig")).findFirst();
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  /** Debian's prometheus package, installed when missing and this user may; else a clear stop. */
  private static void ensurePrometheus(PrintStream out) throws IOException {
    Path binary =
        Path.of(
            System.getProperty(PrometheusServer.BINARY_PROPERTY, PrometheusServer.DEFAULT_BINARY));
    if (Files.isExecutable(binary)) {
      return;
    }
    boolean root = "root".equals(System.getProperty("user.name"));
    boolean allowed = !"false".equals(System.getenv("WEIR_DEMO_INSTALL"));
    if (!root || !allowed || !Files.isExecutable(Path.of("/usr/bin/apt-get"))) {
      throw new DemoStopped(
          "Prometheus is not installed ("
              + binary
              + "): install Debian's package (sudo apt-get install prometheus) and run again");
    }
    out.println(
        "demo: installing Debian's prometheus package (apt-get; WEIR_DEMO_INSTALL=false to forbid)");
    try {
      var process =
          new ProcessBuilder(
                  "bash",
                  "-c",
                  "apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends prometheus")
              .inheritIO()
              .start();
      if (process.waitFor() != 0 || !Files.isExecutable(binary)) {
        throw new DemoStopped(
            "apt-get could not install prometheus (exit " + process.exitValue() + ")");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new DemoStopped("interrupted while installing prometheus");
    }
  }

  private static String firstLine(String message) {
    return message == null ? "" : message.lines().findFirst().orElse("");
  }

  @Override
  public void close() {
    try {
      kubelet.close();
    } catch (Exception e) {
      // stopping anyway
    }
    prometheus.close();
    if (tier instanceof MockTier) {
      tier.afterStory(null);
    }
  }

  /** The demo cannot go on, for a reason the user can act on. */
  static final class DemoStopped extends RuntimeException {
    DemoStopped(String message) {
      super(message);
    }
  }
}
