package dev.weir.convert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weir.api.WellKnownNames;
import dev.weir.api.v1alpha1.AnalysisPhase;
import dev.weir.api.v1alpha1.AnalysisRun;
import dev.weir.api.v1alpha1.RolloutPhase;
import dev.weir.api.v1alpha1.RolloutStatus;
import dev.weir.cli.convert.Converted;
import dev.weir.cli.convert.ManifestConverter;
import dev.weir.testing.Kubelet;
import dev.weir.testing.MockTier;
import dev.weir.testing.PrometheusServer;
import dev.weir.testing.RolloutScenario;
import dev.weir.testing.RunningWeir;
import dev.weir.testing.mesh.TrafficSimulator;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.NonDeletingOperation;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What {@code kubectl weir convert} makes of the peers' documented examples (the fixtures of
 * kubectl-weir/src/test/resources/convert/) runs: each converted output is applied as it is to the
 * fabric8 mock API server with Weir running, a new image is released, every pause is promoted as a
 * user would, and the release ends Healthy on the new revision, its analyses judged by the real
 * Prometheus over a simulated Istio mesh. Only the Prometheus address of the metrics is the test's,
 * as a user points them at their own. Each fixture lives in a namespace of its own, so Prometheus'
 * memory of one cannot judge another.
 */
class ConvertedReleasesMockTierTest {

  private static final Path FIXTURES = Path.of("kubectl-weir/src/test/resources/convert");

  private static PrometheusServer prometheus;
  private static int meshPort;

  private final MockTier tier = new MockTier();
  private Kubelet kubelet;
  private TrafficSimulator mesh;
  private RunningWeir weir;

  @BeforeAll
  static void startPrometheus() throws IOException {
    try (var socket = new ServerSocket(0)) {
      meshPort = socket.getLocalPort();
    }
    prometheus = PrometheusServer.start(List.of("127.0.0.1:" + meshPort));
  }

  @AfterAll
  static void stopPrometheus() {
    prometheus.close();
  }

  @BeforeEach
  void startTier() {
    tier.beforeStory();
  }

  @AfterEach
  void stopEverything() throws Exception {
    for (AutoCloseable running : new AutoCloseable[] {weir, mesh, kubelet}) {
      if (running != null) {
        running.close();
      }
    }
    tier.afterStory(null);
  }

  private KubernetesClient client() {
    return tier.client();
  }

  @Test
  void argoCanaryWithIstioIsPromotedThroughEveryStepWhileItsBackgroundAnalysisPasses() {
    var release = given("argo-canary-istio", "argo-canary", "rollouts-demo", 100);
    String v2 = release.newImage("argoproj/rollouts-demo:yellow");

    release.awaitPausedAt(1);
    awaitRequestsTo("rollouts-demo-canary", "argo-canary");
    release.scenario.promote();
    release.awaitPausedAt(3);
    var background =
        awaitRun(
            "argo-canary",
            "the background analysis' first measurement",
            r -> "background".equals(site(r)) && successful(r) > 0);
    release.scenario.promote();
    release.awaitPausedAt(5);
    release.scenario.promote();
    release.awaitPausedAt(7);
    release.scenario.promote();

    release.awaitPromoted(v2);
    assertThat(
            release.scenario.canaryWeight("rollouts-demo-vsvc", "primary", "rollouts-demo-canary"))
        .isZero();
    assertThat(release.scenario.serviceSelectorHash("rollouts-demo-stable")).isEqualTo(v2);
    assertThat(background.getSpec().metrics)
        .extracting(m -> m.successCondition)
        .containsExactly("result[0] >= 0.95");
    awaitRun(
        "argo-canary",
        "the background analysis terminated at promotion, Successful",
        r -> "background".equals(site(r)) && r.getStatus().phase == AnalysisPhase.Successful);
    assertThat(release.scenario.eventReasons())
        .containsSubsequence("AnalysisRunStarted", "Promoted");
  }

  @Test
  void argoBlueGreenIsPreviewedJudgedPromotedSwitchedAndJudgedAgain() {
    var release = given("argo-blue-green", "argo-bluegreen", "rollout-bluegreen", 0);
    mesh.sendDirect("rollout-bluegreen-preview", 20);
    mesh.sendDirect("rollout-bluegreen-active", 20);
    awaitRequestsTo("rollout-bluegreen-preview", "argo-bluegreen");
    String v2 = release.newImage("argoproj/rollouts-demo:green");

    release.scenario.awaitStatus(
        "previewed, judged, and waiting for promote",
        s ->
            s.phase == RolloutPhase.Paused
                && s.blueGreen != null
                && Boolean.TRUE.equals(s.blueGreen.prePromotionPassed));
    assertThat(release.scenario.serviceSelectorHash("rollout-bluegreen-active"))
        .as("production still on v1")
        .isNotEqualTo(v2);
    release.scenario.promote();

    release.awaitPromoted(v2);
    assertThat(release.scenario.serviceSelectorHash("rollout-bluegreen-active")).isEqualTo(v2);
    assertThat(runs("argo-bluegreen"))
        .extracting(ConvertedReleasesMockTierTest::site, r -> r.getStatus().phase)
        .contains(
            org.assertj.core.groups.Tuple.tuple("pre-promotion", AnalysisPhase.Successful),
            org.assertj.core.groups.Tuple.tuple("post-promotion", AnalysisPhase.Successful));
  }

  @Test
  void argoAnalysisRunWrittenByHandReachesItsVerdictWithItsErrorRatioAtZero() {
    String namespace = "argo-analysis";
    namespace(namespace);
    // A workload for the run to judge: a Service over a ReplicaSet that answers every request.
    client()
        .resource(
            new ServiceBuilder()
                .withNewMetadata()
                .withName("guestbook-svc")
                .withNamespace(namespace)
                .endMetadata()
                .withNewSpec()
                .addToSelector("app", "guestbook")
                .endSpec()
                .build())
        .create();
    client()
        .resource(
            new ReplicaSetBuilder()
                .withNewMetadata()
                .withName("guestbook-1")
                .withNamespace(namespace)
                .endMetadata()
                .withNewSpec()
                .withReplicas(2)
                .withNewSelector()
                .addToMatchLabels("app", "guestbook")
                .endSelector()
                .withNewTemplate()
                .withNewMetadata()
                .addToLabels("app", "guestbook")
                .endMetadata()
                .withNewSpec()
                .addNewContainer()
                .withName("app")
                .withImage("guestbook:1")
                .endContainer()
                .endSpec()
                .endTemplate()
                .endSpec()
                .build())
        .create();
    kubelet = tier.kubelet().start();
    mesh = TrafficSimulator.start(client(), namespace, 0, 42, meshPort);
    mesh.sendDirect("guestbook-svc", 20);
    weir = tier.startWeir(Optional.of(prometheus.address().toString()), 0);
    awaitRequestsTo("guestbook-svc", namespace);

    apply(converted("argo-analysis"));

    var run =
        awaitRun(
            namespace,
            "the converted AnalysisRun's verdict",
            r ->
                r.getStatus() != null
                    && r.getStatus().phase != null
                    && r.getStatus().phase.completed());
    assertThat(run.getStatus().phase)
        .as(run.getStatus().message)
        .isEqualTo(AnalysisPhase.Successful);
    assertThat(run.getStatus().metricResults)
        .extracting(m -> m.name, m -> Double.parseDouble(m.measurements.get(0).value))
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("success-rate", 1.0),
            org.assertj.core.groups.Tuple.tuple("error-rate", 0.0));
  }

  @Test
  void flaggerPodinfoIsPromotedThroughEveryWeightJudgedByItsMetrics() {
    var release = given("flagger-podinfo", "test", "podinfo", 100);
    String v2 = release.newImage("ghcr.io/stefanprodan/podinfo:6.0.1");

    for (int weight = 0; weight < 5; weight++) {
      int pause = 3 * weight + 1;
      release.awaitPausedAt(pause);
      if (weight == 0) {
        awaitRequestsTo("podinfo-canary", "test");
      }
      release.scenario.promote();
      int analysis = pause + 1;
      release.scenario.awaitStatus(
          "the analysis at weight " + (10 * (weight + 1)) + "% passed",
          s ->
              s.currentStepIndex != null && s.currentStepIndex > analysis || v2.equals(s.stableRS));
    }

    release.awaitPromoted(v2);
    var steps = runs("test").stream().filter(r -> site(r).startsWith("step-")).toList();
    assertThat(steps).hasSize(5);
    assertThat(steps)
        .allSatisfy(
            r -> {
              assertThat(r.getStatus().phase)
                  .as(r.getStatus().message)
                  .isEqualTo(AnalysisPhase.Successful);
              assertThat(r.getStatus().metricResults)
                  .extracting(m -> m.name)
                  .containsExactly("request-success-rate", "request-duration", "404s percentage");
            });
  }

  // ---- given, when

  /**
   * A converted fixture applied, v1 Healthy with the mesh carrying {@code rps} through its routes.
   */
  private Release given(String fixture, String namespace, String rollout, double rps) {
    namespace(namespace);
    apply(converted(fixture));
    kubelet = tier.kubelet().start();
    mesh = TrafficSimulator.start(client(), namespace, rps, 42, meshPort);
    weir = tier.startWeir(Optional.of(prometheus.address().toString()), 0);
    var scenario = new RolloutScenario(client(), namespace, rollout);
    scenario.awaitStatus("v1 healthy", s -> s.phase == RolloutPhase.Healthy);
    return new Release(scenario);
  }

  private void namespace(String namespace) {
    client()
        .resource(
            new NamespaceBuilder().withNewMetadata().withName(namespace).endMetadata().build())
        .createOr(NonDeletingOperation::update);
  }

  /** {@code kubectl weir convert -f input/...} of a fixture, in process. */
  private static List<Converted> converted(String fixture) {
    var files = new LinkedHashMap<String, String>();
    try (Stream<Path> list = Files.list(FIXTURES.resolve(fixture).resolve("input"))) {
      for (Path file : list.sorted().toList()) {
        files.put(file.getFileName().toString(), Files.readString(file));
      }
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    var conversion = ManifestConverter.convert(files);
    assertThat(conversion.failed()).isFalse();
    return conversion.objects();
  }

  /** {@code kubectl apply}, with every metric pointed at the test's Prometheus. */
  private void apply(List<Converted> objects) {
    for (Converted converted : objects) {
      ObjectNode object = converted.object().deepCopy();
      for (JsonNode metric : object.path("spec").path("metrics")) {
        if (metric.path("provider").path("prometheus") instanceof ObjectNode p
            && p.has("address")) {
          p.put("address", prometheus.address().toString());
        }
      }
      client().resource(object.toString()).createOr(NonDeletingOperation::update);
    }
  }

  private void awaitRequestsTo(String service, String namespace) {
    prometheus.awaitSeries(
        "sum(rate(istio_requests_total{destination_service_name=\""
            + service
            + "\",destination_service_namespace=\""
            + namespace
            + "\"}[5s])) > 0");
  }

  private List<AnalysisRun> runs(String namespace) {
    return client().resources(AnalysisRun.class).inNamespace(namespace).list().getItems();
  }

  private AnalysisRun awaitRun(String namespace, String what, Predicate<AnalysisRun> condition) {
    await(what)
        .atMost(RolloutScenario.PATIENCE)
        .until(
            () ->
                runs(namespace).stream().anyMatch(r -> r.getStatus() != null && condition.test(r)));
    return runs(namespace).stream()
        .filter(r -> r.getStatus() != null && condition.test(r))
        .findFirst()
        .orElseThrow();
  }

  private static String site(AnalysisRun run) {
    Map<String, String> labels = run.getMetadata().getLabels();
    return labels == null ? "" : labels.getOrDefault(WellKnownNames.ANALYSIS_SITE_LABEL, "");
  }

  private static int successful(AnalysisRun run) {
    return run.getStatus().metricResults.stream().mapToInt(m -> m.successful).sum();
  }

  /** A release of one converted rollout, as a user drives it. */
  private static final class Release {
    final RolloutScenario scenario;

    Release(RolloutScenario scenario) {
      this.scenario = scenario;
    }

    /** Releases the image; its revision's hash. */
    String newImage(String image) {
      scenario.setImage(image);
      return scenario.awaitStatus(
              "the new revision declared", s -> !s.currentPodHash.equals(s.stableRS))
          .currentPodHash;
    }

    RolloutStatus awaitPausedAt(int step) {
      return scenario.awaitStatus(
          "paused at step " + step,
          s ->
              s.phase == RolloutPhase.Paused
                  && s.currentStepIndex != null
                  && s.currentStepIndex == step);
    }

    void awaitPromoted(String revision) {
      scenario.awaitStatus(
          "the new revision promoted and healthy",
          s -> revision.equals(s.stableRS) && s.phase == RolloutPhase.Healthy);
    }
  }
}
