package dev.weir.demo;

import dev.weir.analysis.RunProgress;
import dev.weir.api.WellKnownNames;
import dev.weir.api.v1alpha1.AnalysisPhase;
import dev.weir.api.v1alpha1.AnalysisRun;
import dev.weir.api.v1alpha1.RolloutPhase;
import dev.weir.api.v1alpha1.RolloutStatus;
import dev.weir.testing.Manifests;
import dev.weir.testing.RolloutScenario;
import dev.weir.testing.mesh.TrafficSimulator;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.NonDeletingOperation;
import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Weir's main job on this machine, for real: the example canary of examples/canary-analysis, with
 * the templates of analysis-templates/, released three times on a real API server judged by the
 * real Prometheus over a simulated Istio data plane. v1 becomes stable; v2 (healthy) goes through
 * every step and analysis and is promoted; v3 (20 % errors) fails its analysis and is rolled back,
 * traffic first. Durations are compressed by the rollout's own args, as the tests do.
 *
 * <p>Exit status: 0 when v2 was promoted, v3 aborted and all traffic is back on v2; 1 when the
 * outcome differs; 2 when the demo could not run.
 */
public final class Demo {

  private static final String NAMESPACE = "shop";
  private static final Duration PATIENCE = Duration.ofMinutes(3);

  private final PrintStream out;
  private final boolean keep;
  private final boolean mockOnly;
  private final Instant started = Instant.now();
  private final List<Release> releases = new ArrayList<>();

  /** The Events that existed before the release in progress: its own are the others. */
  private java.util.Set<String> eventsBefore = java.util.Set.of();

  /** One release as the summary tells it. */
  record Release(
      String version,
      String hash,
      String outcome,
      List<String> steps,
      List<String> measurements,
      Optional<Duration> rollback) {}

  private Demo(PrintStream out, boolean keep, boolean mockOnly) {
    this.out = out;
    this.keep = keep;
    this.mockOnly = mockOnly;
  }

  public static void main(String[] args) throws Exception {
    var arguments = List.of(args);
    var demo = new Demo(System.out, arguments.contains("--keep"), arguments.contains("--mock"));
    int exit;
    try {
      exit = demo.run();
    } catch (DemoWorld.DemoStopped e) {
      System.err.println("demo: " + e.getMessage());
      exit = 2;
    }
    System.exit(exit);
  }

  private int run() throws IOException, InterruptedException {
    try (var world = DemoWorld.start(out, mockOnly)) {
      var admin = world.admin();
      applyAll(
          admin,
          List.of(
              "examples/canary-istio/namespace.yaml",
              "examples/canary-istio/services.yaml",
              "examples/canary-istio/virtualservice.yaml"));
      applyAll(admin, Manifests.analysisTemplates());
      try (var mesh = TrafficSimulator.start(admin, NAMESPACE, 100, 42, world.meshPort);
          var weir = world.tier.startWeir(Optional.of(world.prometheus.address().toString()), 0);
          var weights = new WeightLog(admin, NAMESPACE, "checkout", "primary", "checkout-canary");
          var watch = new WatchView(admin, NAMESPACE, "checkout", out, started)) {
        out.println(
            "demo: the mesh sends 100 requests/s through VirtualService checkout, route primary");
        var checkout = new RolloutScenario(admin, NAMESPACE, "checkout");

        out.println("\n== v1: the first revision becomes stable at once");
        admin
            .resource(Manifests.quickAnalysisCanary(NAMESPACE, "5s"))
            .createOr(NonDeletingOperation::update);
        String v1 = await(checkout, "v1 healthy", s -> s.phase == RolloutPhase.Healthy).stableRS;
        world.prometheus.awaitSeries(
            "sum(rate(istio_requests_total{destination_service_namespace=\"shop\"}[10s])) > 0");
        out.println("demo: Prometheus sees the mesh's traffic");
        releases.add(
            new Release(
                "v1 (2.4.1)",
                v1,
                "stable",
                List.of("no steps: the first revision"),
                List.of(),
                Optional.empty()));

        out.println("\n== v2 (2.5.0, healthy): every step, every analysis, then promotion");
        String v2 = release(checkout, "registry.example/checkout:2.5.0", Map.of());
        await(
            checkout, "v2 promoted", s -> v2.equals(s.stableRS) && s.phase == RolloutPhase.Healthy);
        releases.add(summarize(admin, checkout, "v2 (2.5.0)", v2, "promoted", weights));

        out.println(
            "\n== v3 (2.6.0, 20 % of its answers are errors): judged, aborted, traffic first");
        String v3 =
            release(
                checkout,
                "registry.example/checkout:2.6.0",
                Map.of(TrafficSimulator.ERROR_RATE, "0.2"));
        await(
            checkout,
            "v3 aborted",
            s ->
                v3.equals(s.currentPodHash)
                    && s.phase == RolloutPhase.Degraded
                    && s.abortMessage != null);
        var finalStatus =
            await(
                checkout,
                "all traffic back on v2",
                s -> s.verifiedWeight != null && s.verifiedWeight == 0);
        releases.add(
            summarize(
                admin,
                checkout,
                "v3 (2.6.0)",
                v3,
                "aborted: " + finalStatus.abortMessage,
                weights));

        watch.close();
        boolean asExpected =
            v2.equals(finalStatus.stableRS)
                && finalStatus.verifiedWeight == 0
                && Boolean.TRUE.equals(finalStatus.abort);
        printSummary(world, asExpected);
        if (keep) {
          printKeep(world);
          Thread.currentThread().join();
        }
        return asExpected ? 0 : 1;
      }
    }
  }

  /** {@code kubectl apply -n shop -f path} of each file, saying so. */
  private void applyAll(KubernetesClient client, List<String> paths) {
    for (String path : paths) {
      Manifests.applyIn(client, NAMESPACE, path);
      out.println("demo: applied " + path);
    }
  }

  private String release(RolloutScenario checkout, String image, Map<String, String> behaviour) {
    eventsBefore =
        checkout.client().v1().events().inNamespace(NAMESPACE).list().getItems().stream()
            .map(e -> e.getMetadata().getName())
            .collect(java.util.stream.Collectors.toSet());
    out.println(
        "demo: spec.template.spec.containers[0].image = "
            + image
            + (behaviour.isEmpty() ? "" : " " + behaviour));
    return checkout.release(image, behaviour);
  }

  private static RolloutStatus await(
      RolloutScenario checkout, String what, Predicate<RolloutStatus> until) {
    return checkout.awaitStatus(what, until, PATIENCE);
  }

  /** The release's steps (from its Events) and the measurements that decided it. */
  private Release summarize(
      KubernetesClient client,
      RolloutScenario checkout,
      String version,
      String hash,
      String outcome,
      WeightLog weights) {
    var steps =
        client.v1().events().inNamespace(NAMESPACE).list().getItems().stream()
            .filter(e -> "checkout".equals(e.getInvolvedObject().getName()))
            .filter(e -> !eventsBefore.contains(e.getMetadata().getName()))
            .filter(e -> !e.getReason().equals("AnalysisRunStarted"))
            .sorted(
                java.util.Comparator.comparing(
                    e -> e.getLastTimestamp() == null ? "" : e.getLastTimestamp()))
            .map(e -> e.getReason() + ": " + e.getMessage())
            .distinct()
            .toList();
    var runs =
        client
            .resources(AnalysisRun.class)
            .inNamespace(NAMESPACE)
            .withLabel(WellKnownNames.POD_TEMPLATE_HASH_LABEL, hash)
            .list()
            .getItems();
    var measurements = new ArrayList<String>();
    Optional<Instant> failedAt = Optional.empty();
    for (var run : runs) {
      if (run.getStatus() == null) {
        continue;
      }
      for (var metric : run.getStatus().metricResults) {
        var last =
            metric.measurements.isEmpty()
                ? null
                : metric.measurements.get(metric.measurements.size() - 1);
        boolean notJudged =
            metric.message != null && metric.message.startsWith(RunProgress.NOT_JUDGED);
        measurements.add(
            String.format(
                "%-14s %-18s %-12s %s%s",
                run.getMetadata().getLabels().get(WellKnownNames.ANALYSIS_SITE_LABEL),
                metric.name,
                notJudged ? "not judged" : metric.phase,
                last == null
                    ? ""
                    : "last "
                        + last.value
                        + "; "
                        + metric.successful
                        + " passed, "
                        + metric.failed
                        + " failed of "
                        + metric.count,
                notJudged ? " (run terminated before its verdict: no longer needed)" : ""));
        if (run.getStatus().phase == AnalysisPhase.Failed) {
          for (var m : metric.measurements) {
            if (m.phase == AnalysisPhase.Failed) {
              Instant at = Instant.parse(m.finishedAt);
              if (failedAt.isEmpty() || at.isBefore(failedAt.get())) {
                failedAt = Optional.of(at);
              }
            }
          }
        }
      }
    }
    Optional<Duration> rollback =
        failedAt.flatMap(at -> weights.firstAtOrAfter(at, 0).map(w -> Duration.between(at, w)));
    return new Release(version, hash, outcome, steps, measurements, rollback);
  }

  private void printSummary(DemoWorld world, boolean asExpected) {
    out.println(
        "\n== Summary ("
            + Duration.between(started, Instant.now()).toSeconds()
            + " s; "
            + world.tier.describe()
            + ")");
    for (var r : releases) {
      out.println("\n" + r.version() + "  revision " + r.hash() + "  " + r.outcome());
      r.steps().forEach(s -> out.println("    " + s));
      if (!r.measurements().isEmpty()) {
        out.println("  measurements that decided it:");
        r.measurements().forEach(m -> out.println("    " + m));
      }
      r.rollback()
          .ifPresent(
              d ->
                  out.printf(
                      "  rollback: %d ms from the failing measurement to the VirtualService at 100 %% stable%n",
                      d.toMillis()));
    }
    out.println(
        "\nresult: "
            + (asExpected
                ? "v2 promoted, v3 aborted, all traffic on v2 (as expected)"
                : "NOT as expected"));
  }

  private void printKeep(DemoWorld world) {
    out.println("\n== Still running (--keep); Ctrl-C stops everything");
    world.kubeconfig.ifPresent(
        k ->
            out.println(
                "  kubeconfig:  export KUBECONFIG="
                    + k
                    + "; kubectl weir get rollout checkout -n shop --watch"));
    out.println(
        "  Prometheus:  "
            + world.prometheus.address()
            + "  (istio_requests_total from the simulated mesh)");
    out.println("  mesh metrics: http://127.0.0.1:" + world.meshPort + "/metrics");
  }
}
