package dev.weir.bench;

import dev.weir.testing.ControllerImage;
import dev.weir.testing.ImagePod;
import dev.weir.testing.RealControlPlane;
import dev.weir.testing.ReplicaSetKubelet;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.client.dsl.NonDeletingOperation;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * Start-up of the controller: from the start of its process to the first 200 of its readiness probe
 * ({@code /q/health/ready}: the controllers run and their informers have synced), against the real
 * API server of the tests, under the chart's ClusterRole.
 *
 * <p>Variants, in turns: the packaged application as {@code ./weir} runs it ({@code java -jar},
 * this machine's JDK); the same with a class-data-sharing archive trained against this API server;
 * where a JDK 25 or later is installed, the same on it without and with its AOT cache (JEP 483),
 * trained likewise; and the controller image run as the chart's pod ({@link ImagePod}: read-only
 * root, the pod's user, a service account token; needs root, and is reported as not run without
 * it). Leader election is off, so that the figure is the controller's own start.
 *
 * <p>Exit status: 0 when the median of the packaged application is under the target, 1 when not, 2
 * when the benchmark could not be carried out.
 */
public final class ControllerStartupBench {

  /** The target: ready within two seconds on the JVM (bench/README.md). */
  static final long TARGET_MS = 2000;

  private static final Pattern STARTED = Pattern.compile("started in ([0-9.]+)s");

  interface Variant {
    String name();

    /** Starts the controller with its HTTP port at {@code port}; closing it stops it. */
    Running start(int port, Path log) throws Exception;
  }

  /** A started controller: stopped on close; its CPU time so far where its process is ours. */
  interface Running extends AutoCloseable {
    default OptionalLong cpuMillis() {
      return OptionalLong.empty();
    }
  }

  record Timing(long readyMillis, double quarkusSeconds, OptionalLong cpuMillis) {}

  public static void main(String[] args) {
    BenchMain.run("controller-startup", args, 7, ControllerStartupBench::run);
  }

  static int run(int runs) throws Exception {
    Path jar = Path.of("weir-controller/target/quarkus-app/quarkus-run.jar").toAbsolutePath();
    if (!Files.exists(jar)) {
      throw new IllegalStateException(jar + " is missing: run mvn package");
    }
    // The ReplicaSet controller off and a stand-in making each ReplicaSet ready at once: the peak
    // releases below need ready replicas, and no pod can run here.
    var cluster = RealControlPlane.shared(Map.of("WEIR_KUBE_CONTROLLERS", "*,-replicaset"));
    Path logs = Files.createDirectories(Path.of("weir-testbed/target/bench/controller-startup"));
    // KUBECONFIG is a colon-separated list, and the identity's file name has colons in it.
    Path kubeconfig = logs.resolve("operator.kubeconfig");
    Files.copy(cluster.operatorKubeconfig(), kubeconfig, StandardCopyOption.REPLACE_EXISTING);
    var variants = new ArrayList<Variant>();
    Path thisJava = Path.of(System.getProperty("java.home"));
    variants.add(packaged("packaged application (java -jar, this JDK)", thisJava, jar, kubeconfig));
    variants.add(
        new TrainedPackage(
            "packaged, CDS archive trained here (JDK " + Runtime.version().feature() + ")",
            thisJava,
            jar,
            kubeconfig,
            TrainedPackage.Archive.DYNAMIC_CDS,
            logs.resolve("weir-controller.jsa")));
    var newJdk = StartupArchives.jdkWithAotCache();
    newJdk.ifPresent(
        jdk -> {
          String version = StartupArchives.version(jdk);
          variants.add(packaged("packaged on JDK " + version + ", no cache", jdk, jar, kubeconfig));
          variants.add(
              new TrainedPackage(
                  "packaged on JDK " + version + ", AOT cache trained here",
                  jdk,
                  jar,
                  kubeconfig,
                  TrainedPackage.Archive.AOT_CACHE,
                  logs.resolve("weir-controller.aot")));
        });
    boolean root = "root".equals(System.getProperty("user.name"));
    if (root) {
      variants.add(image(cluster, logs));
    }

    // Not counted: the first start of each warms the disk cache (and builds the image).
    for (var v : variants) {
      time(v, logs);
    }
    var machine = Machine.before();
    Map<Variant, List<Timing>> timings = new LinkedHashMap<>();
    variants.forEach(v -> timings.put(v, new ArrayList<>()));
    for (int i = 0; i < runs; i++) {
      for (var v : variants) {
        timings.get(v).add(time(v, logs));
      }
    }
    var peaks = new LinkedHashMap<Variant, PeakReleases.Peak>();
    try (var kubelet = new ReplicaSetKubelet(cluster.admin()).start()) {
      int i = 0;
      for (var v : variants) {
        peaks.put(v, PeakReleases.measure(cluster.admin(), v, "peak-" + i++, logs));
      }
    }
    machine.after();

    System.out.println(
        "weir controller: start to ready against a real API server ("
            + runs
            + " runs each, in turns)");
    System.out.println();
    System.out.printf(
        "%-52s %8s %8s %8s %10s %9s%n", "variant", "median", "min", "max", "CPU median", "Quarkus");
    System.out.println("-".repeat(104));
    long headline = 0;
    for (var e : timings.entrySet()) {
      var ready = e.getValue().stream().map(Timing::readyMillis).sorted().toList();
      var quarkus = e.getValue().stream().map(Timing::quarkusSeconds).sorted().toList();
      long median = ready.get(ready.size() / 2);
      if (e.getKey() == variants.get(0)) {
        headline = median;
      }
      var cpu =
          e.getValue().stream()
              .map(Timing::cpuMillis)
              .filter(OptionalLong::isPresent)
              .map(OptionalLong::getAsLong)
              .sorted()
              .toList();
      System.out.printf(
          "%-52s %6d ms %5d ms %5d ms %10s %7.2f s%n",
          e.getKey().name(),
          median,
          ready.get(0),
          ready.get(ready.size() - 1),
          cpu.isEmpty() ? "-" : cpu.get(cpu.size() / 2) + " ms",
          quarkus.get(quarkus.size() / 2));
    }
    if (!root) {
      System.out.printf(
          "%-52s %s%n", "controller image as a pod", "not run: needs root (mount namespaces)");
    }
    if (newJdk.isEmpty()) {
      System.out.printf(
          "%-52s %s%n",
          "packaged with an AOT cache (JDK 25+)",
          "not run: no JDK 25 or later under " + StartupArchives.JVM_FOLDER);
    }
    System.out.println("-".repeat(104));
    boolean met = headline < TARGET_MS;
    System.out.printf(
        "target: the packaged controller ready within %d ms (median) -> %s%n",
        TARGET_MS, met ? "met" : "NOT met");
    System.out.println();
    System.out.printf(
        "weir controller, started and warm: a release of %d canary rollouts at once (the second"
            + " one; pauses %s)%n%n",
        PeakReleases.FLEET, PeakReleases.PAUSE);
    System.out.printf("%-52s %10s %16s%n", "variant", "wall", "controller CPU");
    System.out.println("-".repeat(80));
    for (var e : peaks.entrySet()) {
      var cpu = e.getValue().cpuMillis();
      System.out.printf(
          "%-52s %7.1f s %16s%n",
          e.getKey().name(),
          e.getValue().wallMillis() / 1000.0,
          cpu.isPresent() ? String.format("%.1f s", cpu.getAsLong() / 1000.0) : "-");
    }
    System.out.println("-".repeat(80));
    System.out.println();
    System.out.println("conditions");
    System.out.print(machine.describe());
    System.out.printf(
        "  server     kube-apiserver on loopback (%s), TLS; CRDs installed, no rollouts at"
            + " start; kube-controller-manager without its ReplicaSet controller: a stand-in"
            + " (ReplicaSetKubelet) writes each ReplicaSet's status ready, no pod is made%n",
        cluster.admin().getKubernetesVersion().getGitVersion());
    System.out.println(
        "  controller the chart's ClusterRole; leader election off; image "
            + (root ? ControllerImage.shared().name() : "not run"));
    System.out.println(
        "  measured   wall clock from the process's start to the first 200 of /q/health/ready,"
            + " polled every 10 ms; CPU: the process's user and system time at that moment"
            + " (all its threads); Quarkus: the \"started in\" it logs");
    System.out.println(
        "  peak       per variant, a fresh namespace of copies of examples/canary-istio created,"
            + " then released twice (the first warms the JIT); the second timed from its patches"
            + " to every rollout Healthy on it, seen on a watch; CPU: the controller process's"
            + " user and system time over that release (not for the pod)");
    System.out.println(
        "  archives   trained by the first, uncounted start of their variant against this API"
            + " server, written when it stops");
    return met ? 0 : 1;
  }

  static Timing time(Variant v, Path logs) throws Exception {
    int port = freePort();
    Path log = logs.resolve(v.name().replaceAll("[^a-z0-9]+", "-") + ".log");
    long t0 = System.nanoTime();
    try (var running = v.start(port, log)) {
      awaitReady(v, port, log);
      long millis = (System.nanoTime() - t0) / 1_000_000;
      var cpu = running.cpuMillis();
      var m = STARTED.matcher(Files.readString(log));
      return new Timing(millis, m.find() ? Double.parseDouble(m.group(1)) : Double.NaN, cpu);
    }
  }

  /** Polls the readiness probe every 10 ms until its first 200, for at most 120 s. */
  static void awaitReady(Variant v, int port, Path log) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (ImagePod.probe(port, "/q/health/ready") != 200) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(v.name() + " not ready within 120 s; see " + log);
      }
      Thread.sleep(10);
    }
  }

  static Variant packaged(String name, Path jdk, Path jar, Path kubeconfig) {
    return new Variant() {
      @Override
      public String name() {
        return name;
      }

      @Override
      public Running start(int port, Path log) throws IOException {
        return PackagedController.start(jdk, List.of(), jar, kubeconfig, port, log);
      }
    };
  }

  static Variant image(RealControlPlane cluster, Path logs) throws Exception {
    var image = ControllerImage.shared();
    var admin = cluster.admin();
    String ns = RealControlPlane.OPERATOR_NAMESPACE;
    admin
        .resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build())
        .createOr(NonDeletingOperation::update);
    // The account the chart's ClusterRole is bound to in this cluster, with a token of its own.
    admin
        .resource(
            new ServiceAccountBuilder()
                .withNewMetadata()
                .withName(RealControlPlane.OPERATOR_ACCOUNT)
                .withNamespace(ns)
                .endMetadata()
                .build())
        .createOr(NonDeletingOperation::update);
    Path account =
        ImagePod.serviceAccountFiles(
            logs.resolve("serviceaccount"), cluster, ns, RealControlPlane.OPERATOR_ACCOUNT);
    URI server = URI.create(admin.getMasterUrl().toString());
    return new Variant() {
      @Override
      public String name() {
        return "controller image " + image.name() + " as a pod";
      }

      @Override
      public Running start(int port, Path log) throws IOException {
        var pod =
            ImagePod.start(
                image,
                image.user(),
                account,
                Map.of(
                    "KUBERNETES_SERVICE_HOST", server.getHost(),
                    "KUBERNETES_SERVICE_PORT", Integer.toString(server.getPort()),
                    "POD_NAMESPACE", ns,
                    "QUARKUS_HTTP_PORT", Integer.toString(port),
                    "WEIR_METRICS_PORT", "0"),
                log);
        return pod::close;
      }
    };
  }

  static int freePort() throws IOException {
    try (var socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
