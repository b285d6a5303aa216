package dev.weir.rollout;

import static dev.weir.testing.RolloutAssert.assertThatRollout;
import static dev.weir.testing.RolloutAssert.awaitRollout;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.weir.api.WellKnownNames;
import dev.weir.api.v1alpha1.AnalysisArgument;
import dev.weir.api.v1alpha1.AnalysisPhase;
import dev.weir.api.v1alpha1.AnalysisRun;
import dev.weir.api.v1alpha1.AnalysisRunSpec;
import dev.weir.api.v1alpha1.AnalysisTemplate;
import dev.weir.api.v1alpha1.AnalysisTemplateRef;
import dev.weir.api.v1alpha1.ArgumentValueFrom;
import dev.weir.api.v1alpha1.HttpHeader;
import dev.weir.api.v1alpha1.Rollout;
import dev.weir.api.v1alpha1.RolloutPhase;
import dev.weir.testing.Dashboards;
import dev.weir.testing.Manifests;
import dev.weir.testing.RolloutScenario;
import dev.weir.testing.Tier;
import dev.weir.testing.mesh.TrafficSimulator;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.SecretKeySelector;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Releases judged by the real Prometheus: the example of examples/canary-analysis with the
 * templates of analysis-templates/ applied unchanged, scraped from a simulated mesh that follows
 * the VirtualService weights and answers as the pod template's annotations say. The rollout's own
 * args make the windows short (10 s) and the measurements quick (every second); each story runs in
 * a namespace of its own, so that Prometheus' memory of the last one cannot judge it.
 */
abstract class AnalysisScenarios extends MeshStories {

  AnalysisScenarios(Tier tier) {
    super(tier);
  }

  /** The compressed pauses; a story with little traffic gives its canary longer to be seen. */
  String pause = "5s";

  @Override
  Rollout firstRollout() {
    return Manifests.quickAnalysisCanary(namespace, pause);
  }

  @Override
  List<String> exampleTraffic() {
    return List.of(
        "examples/canary-istio/services.yaml", "examples/canary-istio/virtualservice.yaml");
  }

  List<AnalysisRun> analysisRuns() {
    return client().resources(AnalysisRun.class).inNamespace(namespace).list().getItems();
  }

  @Test
  void aHealthyCanaryPassesEveryAnalysisAndIsPromoted() {
    givenStableV1(BUSY);
    String v1 = checkout.status().stableRS;
    long unansweredBefore = unanswered("checkout-stable", "checkout-canary");
    String v2 = whenV2IsReleased(Map.of());

    awaitRollout(checkout, "v2 promoted and healthy", r -> r.isHealthyOn(v2));
    assertThatRollout(checkout).withCanaryWeight(0).hasServiceSelecting("checkout-stable", v2);
    awaitRollout(checkout, "v1 scaled down after scaleDownDelaySeconds", r -> r.hasReplicas(v1, 0));
    assertThat(unanswered("checkout-stable", "checkout-canary") - unansweredBefore)
        .as(
            "requests that found no ready pod (503 UH) at any step, the promotion or v1's scale-down")
        .isZero();
    var runs = analysisRuns();
    assertThat(runs)
        .extracting(r -> r.getMetadata().getLabels().get(WellKnownNames.ANALYSIS_SITE_LABEL))
        .containsExactlyInAnyOrder("background", "step-2", "step-5");
    assertThat(runs)
        .allSatisfy(r -> assertThat(r.getStatus().phase).isEqualTo(AnalysisPhase.Successful));
    var step =
        runs.stream().filter(r -> r.getMetadata().getName().endsWith("step-2")).findFirst().get();
    assertThat(step.getStatus().metricResults)
        .extracting(m -> m.name, m -> m.successful)
        .containsExactlyInAnyOrder(
            org.assertj.core.groups.Tuple.tuple("success-rate", 3),
            org.assertj.core.groups.Tuple.tuple("p99-latency", 3));
    assertThat(step.getStatus().metricResults.get(0).measurements)
        .allSatisfy(m -> assertThat(Double.parseDouble(m.value)).isEqualTo(1.0));
    var background =
        runs.stream()
            .filter(r -> r.getMetadata().getName().endsWith("background"))
            .findFirst()
            .get();
    assertThat(background.getStatus().message).contains("terminated", "promoted");
    assertThat(background.getStatus().metricResults.get(0).successful).isPositive();
    assertThatRollout(checkout)
        .recordedInOrder("AnalysisRunStarted", "AnalysisPassed", "AnalysisPassed", "Promoted");
    assertThat(v1).isNotEqualTo(v2);
  }

  @Test
  void aCanaryWithTwentyPercentErrorsAbortsAtItsFirstAnalysisAndEndsAllStable() {
    givenStableV1(BUSY);
    String v1 = checkout.status().stableRS;
    long unansweredBefore = unanswered("checkout-stable", "checkout-canary");
    String v2 = whenV2IsReleased(Map.of(TrafficSimulator.ERROR_RATE, "0.2"));

    var aborted = awaitRollout(checkout, "v2 aborted by its analysis", r -> r.isAborted());
    assertThat(aborted.currentStepIndex).as("never past the first analysis").isLessThanOrEqualTo(2);
    assertThatRollout(checkout).isAbortedBackTo(v1).because("failed");
    checkout.awaitStatus("all traffic on stable", s -> s.verifiedWeight == 0);
    assertThatRollout(checkout).withCanaryWeight(0);
    assertThat(analysisRuns())
        .anySatisfy(r -> assertThat(r.getStatus().phase).isEqualTo(AnalysisPhase.Failed));
    assertThatRollout(checkout).recorded("Aborted");
    awaitRollout(
        checkout, "canary scaled down after abortScaleDownDelaySeconds", r -> r.hasReplicas(v2, 0));
    assertThat(unanswered("checkout-stable", "checkout-canary") - unansweredBefore)
        .as("requests that found no ready pod (503 UH) at the abort or the canary's scale-down")
        .isZero();
    assertThat(
            scrape()
                .value(
                    "weir_rollout_aborts_total",
                    Map.of(
                        "namespace", namespace, "rollout", "checkout", "reason", "AnalysisFailed")))
        .contains(1.0);
  }

  @Test
  void weirsOwnMetricsFollowTheReleaseAndShowEachMeasurementAgainstItsThreshold() {
    givenStableV1(BUSY);
    String v2 = whenV2IsReleased(Map.of());
    var rollout = Map.of("namespace", namespace, "rollout", "checkout");
    checkout.awaitStatus("v2 taking 20 %", s -> s.verifiedWeight == 20);

    await("the metrics showing v2 at 20 %")
        .atMost(RolloutScenario.PATIENCE)
        .until(
            () ->
                scrape()
                    .value("weir_rollout_canary_weight_percent", rollout)
                    .equals(java.util.Optional.of(20.0)));
    var during = scrape();
    assertThat(during.value("weir_rollout_info", with(rollout, "strategy", "canary")))
        .contains(1.0);
    assertThat(during.value("weir_rollout_steps", rollout)).contains(6.0);
    assertThat(during.value("weir_rollout_replicas", with(rollout, "side", "stable")))
        .contains(5.0);
    assertThat(during.value("weir_rollout_replicas", with(rollout, "side", "canary")))
        .hasValueSatisfying(r -> assertThat(r).isPositive());

    var stepRun =
        with(Map.of("namespace", namespace, "rollout", "checkout"), "metric", "success-rate");
    await("the step analysis measured, as the metrics show")
        .atMost(RolloutScenario.PATIENCE)
        .until(() -> scrape().value("weir_analysisrun_metric_value", stepRun).isPresent());
    var measured = scrape();
    assertThat(measured.value("weir_analysisrun_metric_value", stepRun)).contains(1.0);
    assertThat(
            measured.value(
                "weir_analysisrun_metric_threshold",
                with(with(stepRun, "condition", "success"), "operator", ">=")))
        .hasValueSatisfying(t -> assertThat(t).isBetween(0.5, 1.0));

    awaitRollout(checkout, "v2 promoted and healthy", r -> r.isHealthyOn(v2));
    await("the metrics showing the promotion")
        .atMost(RolloutScenario.PATIENCE)
        .until(
            () ->
                scrape()
                    .value("weir_rollout_phase", with(rollout, "phase", "Healthy"))
                    .equals(java.util.Optional.of(1.0)));
    var after = scrape();
    assertThat(after.value("weir_rollout_promotions_total", rollout)).contains(1.0);
    assertThat(after.value("weir_rollout_canary_weight_percent", rollout)).contains(0.0);
    assertThat(after.value("weir_rollout_phase", with(rollout, "phase", "Progressing")))
        .contains(0.0);
    assertThat(after.values("weir_analysisrun_phase", with(rollout, "phase", "Successful")))
        .contains(1.0);
    assertThat(
            after.sum(
                "weir_reconcile_duration_seconds_count",
                Map.of("controller", "rollout", "result", "success")))
        .isPositive();
    assertThat(after.sum("weir_kubernetes_api_requests_total", Map.of("verb", "PATCH")))
        .isPositive();
    assertThat(after.sum("weir_analysisrun_measurement_errors_total", rollout)).isZero();
  }

  @Test
  void everyDashboardQueryRunsAndTheAnalysisPanelsShowTheRunningCanary() {
    givenStableV1(BUSY);
    // The canary holds at 50 % after its first analysis: a manual pause instead of the timed one.
    checkout.edit(
        r -> {
          r.getSpec().strategy.canary.steps.get(4).pause.duration = null;
          return r;
        });
    whenV2IsReleased(Map.of());
    awaitRollout(checkout, "v2 held at 50 % after its first analysis", r -> r.isPausedAtStep(5));

    var queries =
        Dashboards.queries(
            java.nio.file.Path.of("helm/weir/dashboards"),
            Map.of(
                "namespace", namespace,
                "rollout", "checkout",
                "canary_service", "checkout-canary",
                "stable_service", "checkout-stable"));
    assertThat(queries).hasSizeGreaterThan(10);
    await("every panel answered, the analysis panels with data")
        .atMost(java.time.Duration.ofSeconds(60))
        .pollInterval(java.time.Duration.ofSeconds(1))
        .untilAsserted(
            () -> {
              for (var query : queries) {
                var answer = prometheus.query(query.expr());
                assertThat(answer.path("status").asText())
                    .as(query + " -> " + answer)
                    .isEqualTo("success");
                // The baseline's panels have data only where a canary is judged against one
                // (BaselineScenarios).
                if (query.dashboard().endsWith("Analysis")
                    && !query.panel().startsWith("Canary against baseline")) {
                  assertThat(answer.path("data").path("result").size())
                      .as(query + " returns data")
                      .isPositive();
                }
              }
            });
    var success =
        prometheus.query(
            queries.stream()
                .filter(q -> q.panel().startsWith("Success rate"))
                .findFirst()
                .orElseThrow()
                .expr());
    assertThat(success.path("data").path("result"))
        .extracting(r -> r.path("metric").path("destination_service_name").asText())
        .containsExactlyInAnyOrder("checkout-canary", "checkout-stable");
  }

  @Test
  void aSlowCanaryFailsItsLatencyAnalysis() {
    givenStableV1(BUSY);
    whenV2IsReleased(Map.of(TrafficSimulator.LATENCY_MS, "900"));

    awaitRollout(checkout, "v2 aborted by its latency", r -> r.isAborted());
    assertThatRollout(checkout).because("p99-latency").withCanaryWeight(0);
  }

  @Test
  void aLatencyMetricWrittenInTheStepJudgesTheCanaryAsItsTemplateWould() {
    givenStableV1(BUSY);
    // The steps' p99 latency written in the steps themselves, as analysis-templates/ writes it,
    // instead of naming the template; the defaults of its args given by the steps.
    var template =
        Manifests.load("analysis-templates/istio-p99-latency.yaml", AnalysisTemplate.class);
    checkout.edit(
        r -> {
          for (var step : r.getSpec().strategy.canary.steps) {
            if (step.analysis != null
                && step.analysis.templates.removeIf(
                    t -> t.templateName.equals(template.getMetadata().getName()))) {
              step.analysis.metrics = template.getSpec().metrics;
              var given = step.analysis.args.stream().map(a -> a.name).toList();
              template.getSpec().args.stream()
                  .filter(a -> a.value != null && !given.contains(a.name))
                  .forEach(step.analysis.args::add);
            }
          }
          return r;
        });
    whenV2IsReleased(Map.of(TrafficSimulator.LATENCY_MS, "900"));

    awaitRollout(checkout, "v2 aborted by its latency", r -> r.isAborted());
    assertThatRollout(checkout).because("p99-latency").withCanaryWeight(0);
    var step =
        analysisRuns().stream()
            .filter(r -> r.getMetadata().getName().endsWith("step-2"))
            .findFirst()
            .orElseThrow();
    assertThat(step.getSpec().metrics)
        .extracting(m -> m.name)
        .containsExactlyInAnyOrder("success-rate", "p99-latency");
    assertThat(step.getStatus().metricResults)
        .filteredOn(m -> m.name.equals("p99-latency"))
        .singleElement()
        .satisfies(m -> assertThat(m.phase).isEqualTo(AnalysisPhase.Failed));
  }

  @Test
  void prometheusStoppedMidRunIsAnErrorAndNeverAPromotion() {
    givenStableV1(BUSY);
    String v1 = checkout.status().stableRS;
    whenV2IsReleased(Map.of());
    checkout.awaitStatus("analysis at step 3 under way", s -> s.stepAnalysisRun != null);

    prometheus.stop();

    awaitRollout(checkout, "v2 aborted: its analysis could not be judged", r -> r.isAborted());
    // Aborted is said before the weight write reads back, as in the failing canary's story.
    checkout.awaitStatus("all traffic on stable", s -> s.verifiedWeight == 0);
    assertThatRollout(checkout)
        .isAbortedBackTo(v1)
        .because("Error", "unreachable")
        .withCanaryWeight(0);
    assertThat(analysisRuns())
        .anySatisfy(r -> assertThat(r.getStatus().phase).isEqualTo(AnalysisPhase.Error))
        .noneSatisfy(r -> assertThat(r.getStatus().phase).isEqualTo(AnalysisPhase.Failed));
  }

  @Test
  void noTrafficIsNoDataAndPausesInsteadOfPassing() {
    givenStableV1(BUSY);
    mesh.setRequestsPerSecond(0);
    String v1 = checkout.status().stableRS;
    whenV2IsReleased(Map.of());

    var paused =
        checkout.awaitStatus(
            "v2 paused by an inconclusive analysis",
            s -> s.phase == RolloutPhase.Paused && s.message.contains("inconclusive"));
    assertThatRollout(checkout).saying("no data").hasStable(v1).withCanaryWeight(20);
    assertThat(paused.pauseConditions).extracting(p -> p.reason).contains("InconclusiveAnalysis");
    assertThat(paused.abort).isNull();
  }

  @Test
  void aLowTrafficCanaryBelowMinSamplesNeitherFailsNorPassesUntilPromoted() {
    // One canary request a second: the pause lets Prometheus hold several samples of it, so that
    // what is judged is a small count, not a series that does not exist yet.
    pause = "10s";
    givenStableV1(5);
    whenV2IsReleased(Map.of());

    var paused =
        checkout.awaitStatus(
            "v2 paused: too few samples to judge",
            s -> s.phase == RolloutPhase.Paused && s.message.contains("inconclusive"));
    assertThatRollout(checkout).isPausedAtStep(3).saying("too few samples").withCanaryWeight(20);
    assertThat(paused.abort).isNull();

    mesh.setRequestsPerSecond(BUSY);
    checkout.promote();
    checkout.awaitStatus("the promote accepted the verdict", s -> s.currentStepIndex > 2);
    assertThatRollout(checkout).recorded("AnalysisAccepted");
  }

  @Test
  void anUnknownTemplateOrABadConditionIsAnInvalidSpecThatChangesNothing() {
    givenStableV1(BUSY);
    var template =
        client()
            .resources(AnalysisTemplate.class)
            .inNamespace(namespace)
            .withName("istio-p99-latency")
            .get();
    template.getSpec().metrics.get(0).successCondition = "result[0] <=";
    client().resource(template).update();
    String v1 = checkout.status().stableRS;
    whenV2IsReleasedWithoutWaiting();

    awaitRollout(checkout, "InvalidSpec naming the metric", r -> r.hasCondition("InvalidSpec"));
    assertThatRollout(checkout)
        .saying(
            "spec.strategy.canary.steps[2].analysis.templates[1]",
            "p99-latency",
            "successCondition")
        .hasStable(v1)
        .withCanaryWeight(0);
    assertThat(analysisRuns()).isEmpty();
  }

  @Test
  void aTemplateReachedOnlyThroughAnIncludeWakesTheRolloutWhenItAppears() {
    givenStableV1(BUSY);
    var p99 =
        client()
            .resources(AnalysisTemplate.class)
            .inNamespace(namespace)
            .withName("istio-p99-latency")
            .get();
    p99.getSpec().templates = List.of(new AnalysisTemplateRef("p99-volume-gate"));
    client().resource(p99).update();
    whenV2IsReleasedWithoutWaiting();
    awaitRollout(
        checkout, "InvalidSpec naming the missing include", r -> r.hasCondition("InvalidSpec"));
    assertThatRollout(checkout).saying("p99-volume-gate not found");

    // Nothing the rollout names changes: the template appears that one of them includes.
    var gate =
        Manifests.load("analysis-templates/istio-request-volume.yaml", AnalysisTemplate.class);
    gate.getMetadata().setName("p99-volume-gate");
    gate.getMetadata().setNamespace(namespace);
    client().resource(gate).create();

    // Well within the periodic reconcile (5 minutes): the include woke the rollout.
    var resumed =
        checkout.awaitStatus(
            "v2 under way once the include resolves",
            s ->
                !checkout.condition("InvalidSpec")
                    && s.verifiedWeight != null
                    && s.verifiedWeight > 0);
    assertThat(resumed.stableRS).isNotEqualTo(resumed.currentPodHash);
  }

  @Test
  void aRunWrittenByHandFromALibraryTemplateIsMeasuredOnItsOwnAndKeepsSecretsOut() {
    givenStableV1(BUSY);
    whenV2IsReleased(Map.of());
    checkout.awaitStatus("v2 taking 20 %", s -> s.verifiedWeight == 20);
    prometheus.awaitSeries(
        "sum(increase(istio_requests_total{destination_service_name=\"checkout-canary\","
            + "destination_service_namespace=\""
            + namespace
            + "\"}[10s])) > 50");
    client()
        .resource(
            new SecretBuilder()
                .withNewMetadata()
                .withName("prometheus-tenant")
                .withNamespace(namespace)
                .addToLabels(
                    WellKnownNames.ANALYSIS_SECRET_LABEL, WellKnownNames.ANALYSIS_SECRET_OPT_IN)
                .endMetadata()
                .withStringData(Map.of("tenant", "s3cr3t-tenant-id"))
                .build())
        .create();
    var template =
        Manifests.load("analysis-templates/istio-request-volume.yaml", AnalysisTemplate.class);
    var run = new AnalysisRun();
    run.setMetadata(
        new ObjectMetaBuilder().withName("canary-volume").withNamespace(namespace).build());
    run.setSpec(new AnalysisRunSpec());
    run.getSpec().metrics = template.getSpec().metrics;
    var header = new HttpHeader();
    header.name = "X-Scope-OrgID";
    header.value = "{{args.tenant}}";
    run.getSpec().metrics.get(0).provider.prometheus.headers = List.of(header);
    var tenant = new AnalysisArgument();
    tenant.name = "tenant";
    tenant.valueFrom = new ArgumentValueFrom();
    tenant.valueFrom.secretKeyRef = new SecretKeySelector("tenant", "prometheus-tenant", false);
    run.getSpec().args =
        new java.util.ArrayList<>(
            List.of(
                new AnalysisArgument("service", "checkout-canary"),
                new AnalysisArgument("namespace", namespace),
                new AnalysisArgument("min-requests", "50"),
                new AnalysisArgument("window", "10s"),
                new AnalysisArgument("interval", "1s"),
                new AnalysisArgument("count", "2"),
                tenant));
    client().resource(run).create();

    await("the run measured and judged")
        .atMost(RolloutScenario.PATIENCE)
        .until(() -> phaseOf("canary-volume") != null && phaseOf("canary-volume").completed());
    var judged =
        client()
            .resources(AnalysisRun.class)
            .inNamespace(namespace)
            .withName("canary-volume")
            .get();
    assertThat(judged.getStatus().phase)
        .as(Serialization.asYaml(judged.getStatus()))
        .isEqualTo(AnalysisPhase.Successful);
    assertThat(judged.getStatus().metricResults.get(0).successful).isEqualTo(2);
    assertThat(
            Double.parseDouble(judged.getStatus().metricResults.get(0).measurements.get(0).value))
        .isGreaterThanOrEqualTo(50);
    assertThat(Serialization.asYaml(judged)).doesNotContain("s3cr3t-tenant-id");
  }

  AnalysisPhase phaseOf(String run) {
    var found = client().resources(AnalysisRun.class).inNamespace(namespace).withName(run).get();
    return found == null || found.getStatus() == null ? null : found.getStatus().phase;
  }

  void whenV2IsReleasedWithoutWaiting() {
    checkout.setImage(V2);
  }
}
