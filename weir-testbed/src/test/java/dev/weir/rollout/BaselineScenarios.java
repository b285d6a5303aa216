package dev.weir.rollout;

import static dev.weir.testing.RolloutAssert.assertThatRollout;
import static dev.weir.testing.RolloutAssert.awaitRollout;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.weir.api.v1alpha1.AnalysisArgument;
import dev.weir.api.v1alpha1.AnalysisPhase;
import dev.weir.api.v1alpha1.AnalysisRun;
import dev.weir.api.v1alpha1.Measurement;
import dev.weir.api.v1alpha1.Rollout;
import dev.weir.api.v1alpha1.RolloutPhase;
import dev.weir.testing.Dashboards;
import dev.weir.testing.Manifests;
import dev.weir.testing.RolloutScenario;
import dev.weir.testing.Tier;
import dev.weir.testing.mesh.TrafficSimulator;
import io.fabric8.istio.api.networking.v1beta1.VirtualService;
import io.fabric8.kubernetes.api.model.IntOrString;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Canaries judged against a fresh baseline of stable, by the real Prometheus: the example of
 * examples/canary-baseline with analysis-templates/ applied unchanged, its pauses and windows
 * compressed (a 30 s window sampled every 2 s, each point a median over 10 s). The baseline runs
 * beside the canary with as many pods and as much traffic; the simulated mesh gives each side the
 * latency of its pod template (the baseline's is stable's).
 */
abstract class BaselineScenarios extends MeshStories {

  /** The args that compress the example's analyses. */
  private static final Map<String, String> QUICK =
      Map.of(
          "window", "30s",
          "rate-window", "10s",
          "step", "2s",
          "interval", "1s",
          "count", "2");

  BaselineScenarios(Tier tier) {
    super(tier);
  }

  @Override
  Rollout firstRollout() {
    var rollout = Manifests.load("examples/canary-baseline/rollout.yaml", Rollout.class);
    rollout.getMetadata().setNamespace(namespace);
    var canary = rollout.getSpec().strategy.canary;
    canary.scaleDownDelaySeconds = Manifests.COMPRESSED_DELAY_SECONDS;
    canary.abortScaleDownDelaySeconds = Manifests.COMPRESSED_DELAY_SECONDS;
    canary.steps.stream()
        .filter(s -> s.pause != null && s.pause.duration != null)
        .forEach(s -> s.pause.duration = new IntOrString("30s"));
    canary.steps.stream()
        .filter(s -> s.analysis != null)
        .forEach(s -> QUICK.forEach((n, v) -> s.analysis.args.add(new AnalysisArgument(n, v))));
    return rollout;
  }

  @Override
  List<String> exampleTraffic() {
    return List.of(
        "examples/canary-baseline/services.yaml", "examples/canary-baseline/virtualservice.yaml");
  }

  @Test
  void aCanaryTwentyPercentSlowerFailsAgainstItsBaselineWhereTheAbsoluteLimitPasses() {
    givenStableV1(BUSY);
    String v1 = checkout.status().stableRS;
    whenV2IsReleased(Map.of(TrafficSimulator.LATENCY_MS, "24"));

    thenTheBaselineRunsBesideTheCanaryAt20Percent(v1);
    var aborted = awaitRollout(checkout, "v2 aborted by the comparison", r -> r.isAborted());
    assertThat(aborted.currentStepIndex).as("stopped at its first analysis").isEqualTo(2);
    assertThatRollout(checkout).isAbortedBackTo(v1).because("failed");
    var run = stepRun();
    assertThat(phases(run)).containsEntry("latency-vs-baseline", AnalysisPhase.Failed);
    assertThat(last(run, "p99-latency").phase)
        .as("the absolute p99 limit (500 ms) passes the slower canary")
        .isEqualTo(AnalysisPhase.Successful);
    var evidence = last(run, "latency-vs-baseline").comparison;
    System.out.printf(
        "20 %% slower canary: shift %+.2f ms, medians %.2f vs %.2f, U %.0f, p %.2g, points %d/%d%n",
        evidence.shift,
        evidence.canaryMedian,
        evidence.baselineMedian,
        evidence.mannWhitneyU,
        evidence.pValue,
        evidence.canaryPoints,
        evidence.baselinePoints);
    assertThat(evidence.canaryMedian).isGreaterThan(evidence.baselineMedian * 1.1);
    assertThat(evidence.shift).isGreaterThan(evidence.tolerance);
    assertThat(evidence.pValue).isLessThan(0.05);
    assertThat(evidence.canaryPoints).isGreaterThanOrEqualTo(8);
    assertThat(last(run, "latency-vs-baseline").message)
        .startsWith("canary worse than baseline by more than 10% (");
    var comparison =
        Map.of(
            "namespace", namespace,
            "rollout", "checkout",
            "metric", "latency-vs-baseline",
            "statistic", "p_value");
    await("Weir's metrics showing the comparison's evidence")
        .atMost(RolloutScenario.PATIENCE)
        .until(() -> scrape().value("weir_analysisrun_metric_comparison", comparison).isPresent());
    assertThat(scrape().value("weir_analysisrun_metric_comparison", comparison))
        .hasValueSatisfying(p -> assertThat(p).isLessThan(0.05));
    var baselinePanels =
        Dashboards.queries(
                Path.of("helm/weir/dashboards"),
                Map.of(
                    "namespace", namespace,
                    "rollout", "checkout",
                    "canary_service", "checkout-canary",
                    "stable_service", "checkout-stable"))
            .stream()
            .filter(q -> q.panel().startsWith("Canary against baseline"))
            .toList();
    assertThat(baselinePanels).as("the Analysis dashboard's baseline panels").hasSize(2);
    await("the dashboard's baseline panels showing the comparison")
        .atMost(RolloutScenario.PATIENCE)
        .untilAsserted(
            () ->
                assertThat(baselinePanels)
                    .allSatisfy(
                        q ->
                            assertThat(prometheus.query(q.expr()).path("data").path("result"))
                                .as(q.toString())
                                .extracting(r -> r.path("metric").path("metric").asText())
                                .contains("latency-vs-baseline")));
    thenTheBaselineIsGoneAndAllTrafficOnStable();
  }

  @Test
  void anIdenticalCanaryPassesAndThePromotionTakesTheBaselineAway() {
    givenStableV1(BUSY);
    String v1 = checkout.status().stableRS;
    String v2 = whenV2IsReleased(Map.of());

    thenTheBaselineRunsBesideTheCanaryAt20Percent(v1);
    awaitRollout(checkout, "v2 past its first comparison at 40 %", r -> r.isPausedAtStep(5));
    awaitRollout(checkout, "v2 promoted and healthy", r -> r.isHealthyOn(v2));
    var runs = analysisRuns();
    assertThat(runs)
        .allSatisfy(r -> assertThat(r.getStatus().phase).isEqualTo(AnalysisPhase.Successful));
    for (var run : runs) {
      var evidence = last(run, "latency-vs-baseline").comparison;
      assertThat(evidence.pValue).isGreaterThanOrEqualTo(0.05);
      assertThat(Math.abs(evidence.shift)).isLessThan(evidence.tolerance);
    }
    assertThatRollout(checkout).hasServiceSelecting("checkout-stable", v2);
    thenTheBaselineIsGoneAndAllTrafficOnStable();
  }

  @Test
  void aSlowerDayForEverySideDoesNotFailTheCanary() {
    givenStableV1(BUSY);
    String v2 = whenV2IsReleased(Map.of());
    checkout.awaitStatus("v2 taking 20 %", s -> s.verifiedWeight != null && s.verifiedWeight == 20);

    // The whole service answers 60 % slower while the canary is judged.
    mesh.setLatencyFactor(1.6);

    awaitRollout(checkout, "v2 past its first comparison at 40 %", r -> r.isPausedAtStep(5));
    awaitRollout(checkout, "v2 promoted and healthy", r -> r.isHealthyOn(v2));
    assertThat(analysisRuns())
        .allSatisfy(r -> assertThat(r.getStatus().phase).isEqualTo(AnalysisPhase.Successful));
  }

  @Test
  void aRouteWithoutTheBaselinesDestinationIsAnInvalidSpecAndNothingIsWritten() {
    givenStableV1(BUSY);
    String v1 = checkout.status().stableRS;
    var virtualServices = client().resources(VirtualService.class).inNamespace(namespace);
    var withoutBaseline = virtualServices.withName("checkout").get();
    withoutBaseline.getSpec().getHttp().get(0).getRoute().remove(2);
    var before = virtualServices.resource(withoutBaseline).update();

    checkout.setImage(V2);

    checkout.awaitStatus(
        "InvalidSpec reported",
        s -> s.phase == RolloutPhase.Degraded && checkout.condition("InvalidSpec"));
    assertThatRollout(checkout)
        .saying(
            "spec.strategy.canary.trafficRouting.istio.virtualService.routes[0]",
            "route 'primary' of VirtualService "
                + namespace
                + "/checkout has no destination with host 'checkout-baseline'")
        .hasStable(v1)
        .hasReplicas(v1, 5);
    assertThat(checkout.replicaSets()).as("no ReplicaSet for v2").hasSize(1);
    assertThat(checkout.baseline()).as("no baseline").isEmpty();
    assertThat(virtualServices.withName("checkout").get().getMetadata().getResourceVersion())
        .as("the VirtualService not written")
        .isEqualTo(before.getMetadata().getResourceVersion());

    Manifests.applyIn(client(), namespace, "examples/canary-baseline/virtualservice.yaml");

    checkout.awaitStatus(
        "valid again, v2 at 20 %",
        s ->
            !checkout.condition("InvalidSpec")
                && s.verifiedWeight != null
                && s.verifiedWeight == 20);
    assertThat(weights()).containsEntry("checkout-baseline", 20);
  }

  private void thenTheBaselineRunsBesideTheCanaryAt20Percent(String stable) {
    checkout.awaitStatus("v2 taking 20 %", s -> s.verifiedWeight != null && s.verifiedWeight == 20);
    var weights = weights();
    assertThat(weights)
        .containsEntry("checkout-stable", 60)
        .containsEntry("checkout-canary", 20)
        .containsEntry("checkout-baseline", 20);
    var baseline = checkout.baseline().orElseThrow();
    String canary = checkout.status().currentPodHash;
    int canaryPods =
        checkout.replicaSets().stream()
            .filter(rs -> rs.getMetadata().getName().endsWith(canary))
            .mapToInt(rs -> rs.getSpec().getReplicas())
            .sum();
    assertThat(baseline.getSpec().getReplicas()).isEqualTo(canaryPods).isPositive();
    var rollout = Map.of("namespace", namespace, "rollout", "checkout");
    await("Weir's metrics showing the baseline's pods")
        .atMost(RolloutScenario.PATIENCE)
        .until(
            () ->
                scrape()
                    .value("weir_rollout_replicas", with(rollout, "side", "baseline"))
                    .equals(java.util.Optional.of((double) canaryPods)));
    assertThat(baseline.getSpec().getTemplate().getSpec().getContainers().get(0).getImage())
        .as("the baseline runs stable's template")
        .isEqualTo(
            checkout.replicaSets().stream()
                .filter(rs -> rs.getMetadata().getName().endsWith(stable))
                .findFirst()
                .orElseThrow()
                .getSpec()
                .getTemplate()
                .getSpec()
                .getContainers()
                .get(0)
                .getImage());
  }

  private void thenTheBaselineIsGoneAndAllTrafficOnStable() {
    await("the baseline deleted")
        .atMost(RolloutScenario.PATIENCE)
        .until(() -> checkout.baseline().isEmpty());
    assertThat(weights())
        .containsEntry("checkout-stable", 100)
        .containsEntry("checkout-canary", 0)
        .containsEntry("checkout-baseline", 0);
  }

  /** The weights of the route `primary`, by host. */
  private Map<String, Integer> weights() {
    return Map.of(
        "checkout-stable", checkout.canaryWeight("checkout", "primary", "checkout-stable"),
        "checkout-canary", checkout.canaryWeight("checkout", "primary", "checkout-canary"),
        "checkout-baseline", checkout.canaryWeight("checkout", "primary", "checkout-baseline"));
  }

  private List<AnalysisRun> analysisRuns() {
    return client().resources(AnalysisRun.class).inNamespace(namespace).list().getItems();
  }

  private AnalysisRun stepRun() {
    return analysisRuns().stream()
        .filter(r -> r.getMetadata().getName().endsWith("step-2"))
        .findFirst()
        .orElseThrow();
  }

  private static Map<String, AnalysisPhase> phases(AnalysisRun run) {
    return run.getStatus().metricResults.stream()
        .collect(Collectors.toMap(m -> m.name, m -> m.phase));
  }

  private static Measurement last(AnalysisRun run, String metric) {
    var measurements =
        run.getStatus().metricResults.stream()
            .filter(m -> m.name.equals(metric))
            .findFirst()
            .orElseThrow()
            .measurements;
    return measurements.get(measurements.size() - 1);
  }
}
