package dev.weir.bench;

import static org.awaitility.Awaitility.await;

import dev.weir.api.v1alpha1.RolloutPhase;
import dev.weir.api.v1alpha1.RolloutStatus;
import dev.weir.testing.Manifests;
import dev.weir.testing.PackagedController;
import dev.weir.testing.PodKubelet;
import dev.weir.testing.PrometheusServer;
import dev.weir.testing.RealControlPlane;
import dev.weir.testing.ReleaseRecorder;
import dev.weir.testing.ReleaseRecorder.Invariant;
import dev.weir.testing.ReleaseRecorder.Outcome;
import dev.weir.testing.RolloutScenario;
import dev.weir.testing.mesh.TrafficSimulator;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Predicate;

/**
 * The controller killed with SIGKILL at random moments of releases, run after run: the packaged
 * controller ({@link PackagedController}) carries the multi-step canary of examples/canary-analysis
 * (judged by the real Prometheus scraping the simulated mesh) on the real control plane, and is
 * killed and started again one to three times in each release, each time right after a randomly
 * chosen one of the release's own writes (drawn over the writes a release of its kind makes, as a
 * {@link ReleaseRecorder} sees them), polled at a random fraction of a second. One release in four
 * has a failing canary (20 % errors), which must end aborted. Each release is judged by the
 * recorder's four invariants.
 *
 * <p>Every random choice of a run comes from its seed, printed with it: {@code --seed S --runs 1}
 * (or {@code -Dweir.faults.seed=S -Dweir.faults.runs=1} for the test) replays the choices of that
 * run (the moments are counted in writes, so a replay kills at the same points of the release, give
 * or take the scheduling of threads). The campaign's seed is the first run's; run i has seed + i.
 *
 * <p>Run by {@code bench/controller-kills} (30 runs by default) and, with 3 runs, by {@code
 * ControllerKillIT}. Exit status: 0 when every run kept every invariant, 1 when one did not, 2 when
 * the campaign could not be carried out.
 */
public final class ControllerKillCampaign {

  /** {@code -Dweir.faults.runs}: how many releases. */
  public static final String RUNS_PROPERTY = "weir.faults.runs";

  /** {@code -Dweir.faults.seed}: the seed of the first run; by default the time. */
  public static final String SEED_PROPERTY = "weir.faults.seed";

  static final String V2 = "registry.example/checkout:2.5.0";

  /**
   * About how many writes a release makes after v2 is declared (as the recorder sees them): the
   * kill points are drawn over them, so that every part of a release, an aborted one too, is hit.
   */
  private static final Map<Outcome, Integer> RELEASE_WRITES =
      Map.of(Outcome.PROMOTED, 44, Outcome.ABORTED, 14);

  private static final Duration RELEASE_PATIENCE = Duration.ofSeconds(150);

  /** What one run did and what its record showed. */
  public record RunResult(
      int index,
      long seed,
      Outcome expected,
      int kills,
      int changes,
      Map<Invariant, List<String>> violations,
      String weights) {

    public boolean passed() {
      return violations.isEmpty();
    }
  }

  /** Every run of a campaign. */
  public record Report(long seed, List<RunResult> runs) {

    public long failed() {
      return runs.stream().filter(r -> !r.passed()).count();
    }

    /** The counts to report: runs, passed, kills, and runs that broke each invariant. */
    public String summary() {
      var out = new StringBuilder();
      var broken = new EnumMap<Invariant, Integer>(Invariant.class);
      for (Invariant i : Invariant.values()) {
        broken.put(i, 0);
      }
      runs.forEach(r -> r.violations().keySet().forEach(i -> broken.merge(i, 1, Integer::sum)));
      out.append(
          String.format(
              "controller killed with SIGKILL: %d runs from seed %d, %d passed, %d failed, %d kills%n",
              runs.size(),
              seed,
              runs.size() - failed(),
              failed(),
              runs.stream().mapToInt(RunResult::kills).sum()));
      out.append(
          String.format(
              "  releases: %d to be promoted, %d to be aborted%n",
              runs.stream().filter(r -> r.expected() == Outcome.PROMOTED).count(),
              runs.stream().filter(r -> r.expected() == Outcome.ABORTED).count()));
      for (Invariant i : Invariant.values()) {
        out.append(String.format("  %-48s broken in %d runs%n", i.toString() + ":", broken.get(i)));
      }
      for (RunResult r : runs) {
        if (!r.passed()) {
          out.append(
              String.format(
                  "  FAILED run %d (replay: --seed %d --runs 1): %s; weights %s%n",
                  r.index(), r.seed(), r.violations(), r.weights()));
        }
      }
      return out.toString();
    }
  }

  private final RealControlPlane cluster;
  private final PrometheusServer prometheus;
  private final int meshPort;
  private final PackagedController controller;
  private final PrintStream out;

  private ControllerKillCampaign(
      RealControlPlane cluster,
      PrometheusServer prometheus,
      int meshPort,
      PackagedController controller,
      PrintStream out) {
    this.cluster = cluster;
    this.prometheus = prometheus;
    this.meshPort = meshPort;
    this.controller = controller;
    this.out = out;
  }

  public static void main(String[] args) {
    int runs = Integer.getInteger(RUNS_PROPERTY, 30);
    long seed = Long.getLong(SEED_PROPERTY, System.currentTimeMillis());
    for (int i = 0; i < args.length - 1; i++) {
      if (args[i].equals("--runs")) {
        runs = Integer.parseInt(args[i + 1]);
      } else if (args[i].equals("--seed")) {
        seed = Long.parseLong(args[i + 1]);
      }
    }
    try {
      var report = run(runs, seed, System.out);
      System.out.println();
      System.out.print(report.summary());
      System.exit(report.failed() == 0 ? 0 : 1);
    } catch (Exception | AssertionError e) {
      System.err.println("controller-kills: could not be carried out: " + e);
      e.printStackTrace();
      System.exit(2);
    }
  }

  /** Runs the campaign: {@code runs} releases, the first with {@code seed}, each told on out. */
  public static Report run(int runs, long seed, PrintStream out) throws IOException {
    var cluster = RealControlPlane.shared();
    int meshPort = freePort();
    Path logs = Path.of("weir-testbed/target/controller-kills");
    try (var prometheus = PrometheusServer.start(List.of("127.0.0.1:" + meshPort));
        var kubelet = new PodKubelet(cluster.admin()).start();
        var controller =
            PackagedController.of(
                    cluster,
                    Map.of("WEIR_PROMETHEUS_ADDRESS", prometheus.address().toString()),
                    logs.resolve("controller-" + seed + ".log"))
                .start()) {
      var campaign = new ControllerKillCampaign(cluster, prometheus, meshPort, controller, out);
      out.printf(
          "controller kills: %d runs from seed %d (replay one: --seed SEED --runs 1)%n",
          runs, seed);
      var results = new ArrayList<RunResult>();
      for (int i = 0; i < runs; i++) {
        var result = campaign.release(i, seed + i);
        results.add(result);
        out.printf(
            "run %3d  seed %d  %-8s  %d kills  %3d writes  %s%n",
            i,
            result.seed(),
            result.expected(),
            result.kills(),
            result.changes(),
            result.passed() ? "ok " + result.weights() : "FAILED " + result.violations());
      }
      return new Report(seed, results);
    }
  }

  /** One release with its kills, judged. */
  private RunResult release(int index, long seed) {
    // Well mixed from one seed to the next: java.util.Random draws alike first values for seeds
    // that differ by one.
    var random = new SplittableRandom(seed);
    Outcome expected = random.nextInt(4) == 0 ? Outcome.ABORTED : Outcome.PROMOTED;
    int plannedKills = 1 + random.nextInt(3);
    var admin = cluster.admin();
    String namespace = "kills-" + seed;
    Manifests.applyNamespace(admin, namespace);
    Manifests.applyIn(admin, namespace, "examples/canary-istio/services.yaml");
    Manifests.applyIn(admin, namespace, "examples/canary-istio/virtualservice.yaml");
    Manifests.analysisTemplates().forEach(path -> Manifests.applyIn(admin, namespace, path));
    admin.resource(Manifests.quickAnalysisCanary(namespace, "5s")).create();
    var checkout = new RolloutScenario(admin, namespace, "checkout");
    var violations = new EnumMap<Invariant, List<String>>(Invariant.class);
    int kills = 0;
    int changes = 0;
    String weights = "";
    try (var mesh = TrafficSimulator.start(admin, namespace, 100, seed, meshPort)) {
      String v1 = checkout.awaitStatus("v1 healthy", s -> s.phase == RolloutPhase.Healthy).stableRS;
      prometheus.awaitSeries(
          "sum(rate(istio_requests_total{destination_service_namespace=\""
              + namespace
              + "\"}[10s])) > 0");
      try (var recorder = ReleaseRecorder.start(admin, checkout.rollout())) {
        String v2 =
            checkout.release(
                V2,
                expected == Outcome.ABORTED
                    ? Map.of(TrafficSimulator.ERROR_RATE, "0.2")
                    : Map.of());
        // An abort is recorded before its weight goes back: it has ended once that reads back.
        Predicate<RolloutStatus> ended =
            s ->
                s.phase == RolloutPhase.Healthy && v2.equals(s.stableRS)
                    || s.phase == RolloutPhase.Degraded
                        && Boolean.TRUE.equals(s.abort)
                        && Integer.valueOf(0).equals(s.verifiedWeight);
        int declared = recorder.changes();
        int[] points =
            random
                .ints(plannedKills, 1, RELEASE_WRITES.get(expected) + 1)
                .map(p -> declared + p)
                .sorted()
                .toArray();
        for (int at : points) {
          long poll = 5 + random.nextInt(150);
          await("the release's write " + at)
              .atMost(RELEASE_PATIENCE)
              .pollInterval(Duration.ofMillis(poll))
              .until(() -> recorder.changes() >= at || ended.test(checkout.status()));
          if (ended.test(checkout.status())) {
            break;
          }
          controller.kill();
          kills++;
          controller.start();
        }
        try {
          checkout.awaitStatus("the release ended", ended, RELEASE_PATIENCE);
          violations.putAll(recorder.check(v1, v2, expected));
        } catch (AssertionError e) {
          violations.put(
              Invariant.ENDS_AS_IT_SHOULD,
              List.of(e.getMessage() + "\ncontroller log:\n" + controller.logTail(30)));
        }
        changes = recorder.changes();
        weights = recorder.weights().toString();
        if (!violations.isEmpty()) {
          out.println("record of run " + index + ":\n" + recorder.describe());
        }
      }
    } finally {
      cluster.clean(namespace);
    }
    return new RunResult(index, seed, expected, kills, changes, violations, weights);
  }

  private static int freePort() throws IOException {
    try (var socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
