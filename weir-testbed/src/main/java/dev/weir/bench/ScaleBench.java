package dev.weir.bench;

import dev.weir.rollout.RolloutReconciler;
import dev.weir.testing.ImagePod;
import dev.weir.testing.RealControlPlane;
import dev.weir.testing.ReplicaSetKubelet;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A fleet on one controller: on the real control plane (kube-apiserver and etcd; the
 * kube-controller-manager without its ReplicaSet controller, whose part {@link ReplicaSetKubelet}
 * plays by writing ReplicaSet status, so that no pod is made), N copies of examples/canary-istio
 * with timed pauses ({@link Fleet}) are created, settle Healthy, rest, and then a fraction of them
 * is released at once, for each N of {@code --rollouts} in turn (the fleet grows from one N to the
 * next). The controller is the packaged application in a process of its own ({@link
 * PackagedController}), so that its heap and RSS are its own. Its requests are counted where they
 * arrive, in the API server's audit log ({@link AuditedRequests}); weights and pauses are seen on
 * watches of the benchmark's own ({@link FleetWatch}).
 *
 * <pre>
 * bench/scale [--rollouts 100,1000,3000,10000] [--releasing 5%] [--pause 5s] [--rest 330s]
 *             [--threads 16]
 * </pre>
 *
 * Exit status: 0 when every N was measured and no idle rollout wrote anything, 1 when one did, 2
 * when it stopped before the last N (the output says where and why).
 */
public final class ScaleBench {

  private static final String NAMESPACE = "fleet";

  /** The settings of one run, as given on the command line. */
  record Settings(
      List<Integer> rollouts, double releasing, String pause, Duration rest, int threads) {

    static Settings parse(String[] args) {
      List<Integer> rollouts = List.of(100, 1000, 3000, 10000);
      double releasing = 0.05;
      String pause = "5s";
      // One period of the controller's resync (maxReconciliationInterval, 5 min) and a half minute:
      // the window sees every idle rollout reconciled once by it.
      Duration rest = Duration.ofSeconds(330);
      int threads = 16;
      for (int i = 0; i + 1 < args.length; i += 2) {
        String value = args[i + 1];
        switch (args[i]) {
          case "--rollouts" ->
              rollouts = java.util.Arrays.stream(value.split(",")).map(Integer::valueOf).toList();
          case "--releasing" -> releasing = Double.parseDouble(value.replace("%", "")) / 100.0;
          case "--pause" -> pause = value;
          case "--rest" ->
              rest =
                  dev.weir.api.v1alpha1.Durations.parse(
                      new io.fabric8.kubernetes.api.model.IntOrString(value));
          case "--threads" -> threads = Integer.parseInt(value);
          default -> throw new IllegalArgumentException("unknown argument " + args[i]);
        }
      }
      return new Settings(rollouts, releasing, pause, rest, threads);
    }
  }

  private final Settings settings;
  private final RealControlPlane cluster;
  private final AuditedRequests requests;
  private final Path logs;
  private final Path kubeconfig;
  private PackagedController controller;
  private int metricsPort;
  private final HttpClient http = HttpClient.newHttpClient();
  private int starts;

  private ScaleBench(Settings settings, RealControlPlane cluster, Path logs) throws Exception {
    this.settings = settings;
    this.cluster = cluster;
    this.logs = logs;
    this.requests = new AuditedRequests(cluster.auditLog(), RealControlPlane.OPERATOR_USER);
    // KUBECONFIG is a colon-separated list, and the identity's file name has colons in it.
    this.kubeconfig = logs.resolve("operator.kubeconfig");
    Files.copy(cluster.operatorKubeconfig(), kubeconfig, StandardCopyOption.REPLACE_EXISTING);
  }

  public static void main(String[] args) {
    Settings settings;
    try {
      settings = Settings.parse(args);
    } catch (RuntimeException e) {
      System.err.println("scale: " + e.getMessage());
      System.exit(2);
      return;
    }
    try {
      System.exit(run(settings));
    } catch (Exception | AssertionError e) {
      System.err.println("scale: could not be carried out: " + e);
      e.printStackTrace();
      System.exit(2);
    }
  }

  static int run(Settings settings) throws Exception {
    var machine = Machine.before();
    var cluster =
        RealControlPlane.shared(
            Map.of(
                "WEIR_KUBE_CONTROLLERS",
                "*,-replicaset",
                "WEIR_KUBE_AUDIT_USERS",
                RealControlPlane.OPERATOR_USER));
    Path logs = Files.createDirectories(Path.of("weir-testbed/target/bench/scale"));
    var bench = new ScaleBench(settings, cluster, logs);
    var admin = cluster.admin();
    var rows = new ArrayList<ScaleFigures>();
    String stopped = null;
    try (var kubelet = new ReplicaSetKubelet(admin).start();
        var fleet = new Fleet(admin, NAMESPACE, settings.pause(), settings.threads());
        var watch = new FleetWatch(admin, NAMESPACE)) {
      bench.startController();
      for (int n : settings.rollouts()) {
        System.err.printf("[scale] N = %d%n", n);
        try {
          rows.add(bench.measure(n, fleet, watch));
          System.out.println(ScaleTable.single(rows.get(rows.size() - 1)));
        } catch (Exception | AssertionError e) {
          stopped = "stopped at N = " + n + ": " + e.getMessage();
          System.err.println("[scale] " + stopped);
          e.printStackTrace();
          break;
        }
      }
      bench.stopController();
      machine.after();
      System.out.println(ScaleTable.growth(rows));
      if (stopped != null) {
        System.out.println(stopped);
      }
      System.out.println();
      System.out.println("conditions");
      System.out.print(machine.describe());
      System.out.printf(
          "  server     kube-apiserver %s and etcd on loopback, TLS; kube-controller-manager"
              + " without its ReplicaSet controller: a stand-in (ReplicaSetKubelet) writes each"
              + " ReplicaSet's status ready at once, no pod is made%n",
          admin.getKubernetesVersion().getGitVersion());
      System.out.printf(
          "  controller weir-controller/target/quarkus-app/quarkus-run.jar in its own JVM (this"
              + " JDK, default heap settings), the chart's ClusterRole, leader election off;"
              + " requests counted in the API server's audit log of its user%n");
      System.out.printf(
          "  fleet      copies of examples/canary-istio in namespace %s: steps %s;"
              + " scaleDownDelaySeconds 1; created by %d threads%n",
          NAMESPACE, fleet.steps(), settings.threads());
      System.out.printf(
          "  release    %.1f %% of the fleet at once; rest window %d s; heap after a full GC"
              + " (jcmd GC.run, GC.heap_info) after the rest window and once mid-release;"
              + " RSS from /proc/PID/status, sampled every 500 ms in the release%n",
          settings.releasing() * 100, settings.rest().toSeconds());
      System.out.printf(
          "  lateness   per timed pause: from its scheduled end (status.pauseConditions"
              + " startTime + duration) to the next canary weight seen on a watch of the"
              + " VirtualServices%n");
    }
    if (stopped != null || rows.isEmpty()) {
      return 2;
    }
    return rows.stream().allMatch(r -> r.restCounts().writes() == 0) ? 0 : 1;
  }

  /** One N: grow, settle, restart, rest, release. */
  private ScaleFigures measure(int n, Fleet fleet, FleetWatch watch) throws Exception {
    var figures = new ScaleFigures(n);
    long t0 = System.nanoTime();
    int objects = fleet.growTo(n);
    figures.created(objects, Duration.ofNanos(System.nanoTime() - t0));
    var names = fleet.names();
    awaitSettled(watch, names, "the fleet of " + n + " Healthy");
    figures.settled(Duration.ofNanos(System.nanoTime() - t0));

    // Start-up with the fleet present: to ready (informers synced), then to the end of the first
    // reconcile of every rollout (the controller's requests stop).
    stopController();
    long s0 = System.nanoTime();
    Instant started = Instant.now();
    startController();
    figures.ready(Duration.ofNanos(System.nanoTime() - s0));
    figures.quiet(Duration.between(started, awaitFirstReconciles(n)));

    Instant restFrom = Instant.now();
    Thread.sleep(settings.rest().toMillis());
    Instant restTo = Instant.now();
    figures.rest(requests.between(restFrom, restTo), Duration.between(restFrom, restTo));
    figures.restMemory(
        ControllerMemory.heapAfterFullGcMiB(controller.pid()),
        ControllerMemory.rssMiB(controller.pid()));

    int k = Math.max(1, (int) Math.round(n * settings.releasing()));
    var releasing = new ArrayList<String>();
    for (int i = 0; i < k; i++) {
      releasing.add(Fleet.name((int) ((long) i * n / k)));
    }
    watch.forget();
    var rss = new RssSampler(controller.pid());
    Instant releaseFrom = Instant.now();
    fleet.release(releasing, "registry.example/checkout:n" + n);
    var heap = new AtomicReference<Double>();
    // Once, in the middle of the first pause, when every canary is up: the full GC pauses the
    // controller, so it is taken away from the pauses' ends.
    Thread.sleep(pauseMillis() / 2);
    heap.set(ControllerMemory.heapAfterFullGcMiB(controller.pid()));
    awaitSettled(watch, releasing, k + " releases promoted");
    Instant releaseTo = Instant.now();
    rss.close();
    int transitions = k * (fleet.stepCount() + 1);
    figures.release(
        k,
        Duration.between(releaseFrom, releaseTo),
        requests.between(releaseFrom, releaseTo),
        transitions,
        watch.lateness(releasing),
        heap.get(),
        rss.max());
    return figures;
  }

  private long pauseMillis() {
    return dev.weir.api.v1alpha1.Durations.parse(
            new io.fabric8.kubernetes.api.model.IntOrString(settings.pause()))
        .toMillis();
  }

  private void awaitSettled(FleetWatch watch, List<String> names, String what)
      throws InterruptedException {
    // Generous: a fleet that settles at all settles well within this; one that does not is
    // reported with how far it got.
    watch.awaitSettled(
        names, Duration.ofSeconds(120 + names.size() / 2).plusMillis(pauseMillis() * 6), what);
  }

  /**
   * Waits until the controller has reconciled every rollout once since {@code started} (each
   * reconcile reads the rollout's VirtualService) and then sent nothing for three seconds; returns
   * its last request. Silence alone is not enough: a controller just ready may not have begun.
   */
  /**
   * When every rollout has had its first reconcile since the controller started, by the
   * controller's own count of them ({@code weir_reconcile_duration_seconds_count}): an idle
   * reconcile reads only the informers' caches, so the API server sees nothing of it.
   */
  private Instant awaitFirstReconciles(int rollouts) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(10);
    while (System.nanoTime() < deadline) {
      if (rolloutReconciles() >= rollouts) {
        return Instant.now();
      }
      Thread.sleep(250);
    }
    throw new IllegalStateException(
        "the controller did not reconcile every rollout within 10 minutes of its start");
  }

  /** The rollout reconciles the controller has finished, from its metrics. */
  private long rolloutReconciles() throws Exception {
    var request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + metricsPort + "/metrics")).build();
    String text = http.send(request, HttpResponse.BodyHandlers.ofString()).body();
    return text.lines()
        .filter(l -> l.startsWith("weir_reconcile_duration_seconds_count{"))
        .filter(l -> l.contains("controller=\"" + RolloutReconciler.NAME + "\""))
        .mapToLong(l -> (long) Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
        .sum();
  }

  private void startController() throws Exception {
    int port = ControllerStartupBench.freePort();
    metricsPort = ControllerStartupBench.freePort();
    Path jar = Path.of("weir-controller/target/quarkus-app/quarkus-run.jar").toAbsolutePath();
    controller =
        PackagedController.start(
            Path.of(System.getProperty("java.home")),
            // A system property outranks the environment's WEIR_METRICS_PORT=0.
            List.of("-Dweir.metrics.port=" + metricsPort),
            jar,
            kubeconfig,
            port,
            logs.resolve("controller-" + (++starts) + ".log"));
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(300);
    while (ImagePod.probe(port, "/q/health/ready") != 200) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("the controller was not ready within 300 s");
      }
      Thread.sleep(10);
    }
  }

  private void stopController() throws InterruptedException {
    if (controller != null) {
      controller.close();
      controller = null;
    }
  }

  /** The controller's RSS, sampled every 500 ms until closed; the largest seen. */
  private static final class RssSampler implements AutoCloseable {
    private final Thread thread;
    private volatile double max;
    private volatile boolean running = true;

    RssSampler(long pid) {
      thread =
          new Thread(
              () -> {
                while (running) {
                  max = Math.max(max, ControllerMemory.rssMiB(pid));
                  try {
                    Thread.sleep(500);
                  } catch (InterruptedException e) {
                    return;
                  }
                }
              },
              "rss-sampler");
      thread.setDaemon(true);
      thread.start();
    }

    double max() {
      return max;
    }

    @Override
    public void close() throws InterruptedException {
      running = false;
      thread.interrupt();
      thread.join();
    }
  }
}
