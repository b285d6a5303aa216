package dev.weir.rollout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.weir.api.v1alpha1.AnalysisRun;
import dev.weir.api.v1alpha1.AnalysisTemplate;
import dev.weir.api.v1alpha1.AnalysisTemplateRef;
import dev.weir.api.v1alpha1.CanaryStep;
import dev.weir.api.v1alpha1.Rollout;
import dev.weir.api.v1alpha1.RolloutAnalysis;
import dev.weir.api.v1alpha1.RolloutPhase;
import dev.weir.api.v1alpha1.RolloutStatus;
import dev.weir.testing.FieldHolder;
import dev.weir.testing.Kubelet;
import dev.weir.testing.Manifests;
import dev.weir.testing.RolloutScenario;
import dev.weir.testing.RunningWeir;
import dev.weir.testing.SilentListener;
import dev.weir.testing.Tier;
import io.fabric8.istio.api.networking.v1beta1.DestinationRule;
import io.fabric8.istio.api.networking.v1beta1.VirtualService;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Every wait has a deadline: stories where something the release waits for never comes, on every
 * tier of API server. Someone else holds what Weir writes (a {@link FieldHolder}: a mutating
 * webhook on the real API server) — a VirtualService's weights, a DestinationRule's subset label, a
 * Service's selector — or the analysis' metrics provider never answers (a {@link SilentListener}).
 * Each ends Degraded, reason ProgressDeadlineExceeded, with a message that says what it waited for,
 * without writing in a loop; with progressDeadlineAbort the release aborts and the weight goes back
 * to 0 wherever it can. The deadline is a few seconds.
 */
abstract class ProgressDeadlineStories {

  static final String V2 = "registry.example/checkout:2.5.0";

  /** Long enough for a canary's pods to come up on either tier, short enough for a story. */
  static final int DEADLINE = 5;

  static final String PAST_THE_DEADLINE =
      ": no progress for " + DEADLINE + "s (progressDeadlineSeconds)";

  final Tier tier;
  Kubelet kubelet;
  RunningWeir weir;
  RolloutScenario release;
  SilentListener silent;
  final List<FieldHolder.Hold> holds = new ArrayList<>();

  ProgressDeadlineStories(Tier tier) {
    this.tier = tier;
  }

  /** Whoever holds an object's fields on this tier. */
  abstract FieldHolder holder();

  @BeforeEach
  void startTier() {
    tier.beforeStory();
  }

  @AfterEach
  void stopEverything() {
    holds.forEach(FieldHolder.Hold::close);
    for (AutoCloseable c : new AutoCloseable[] {weir, kubelet, silent}) {
      if (c != null) {
        try {
          c.close();
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      }
    }
    tier.afterStory("shop");
  }

  // ---------------------------------------------------------------------------------------------
  // Givens

  /** The example's manifests applied, the kubelet and Weir started, {@code rollout} healthy. */
  void givenStable(List<String> manifests, Rollout rollout) {
    var client = tier.client();
    Manifests.apply(client, "examples/canary-istio/namespace.yaml");
    manifests.forEach(m -> Manifests.apply(client, m));
    kubelet = tier.kubelet().start();
    weir = tier.startWeir(Optional.empty(), 0);
    rollout.getSpec().progressDeadlineSeconds = DEADLINE;
    client.resource(rollout).create();
    release = new RolloutScenario(client, "shop", rollout.getMetadata().getName());
    release.awaitStatus("v1 healthy", s -> s.phase == RolloutPhase.Healthy);
  }

  /** The classic canary of examples/canary-istio (10 %, pause, 30 %, ...), v1 healthy. */
  void givenStableCanary(Consumer<Rollout> adjust) {
    var rollout = Manifests.compressedClassicCanary();
    adjust.accept(rollout);
    givenStable(
        List.of("examples/canary-istio/services.yaml", "examples/canary-istio/virtualservice.yaml"),
        rollout);
  }

  /** From now on a webhook keeps the canary weight of the route `primary` at {@code weight}. */
  FieldHolder.Hold holdCanaryWeight(String virtualService, int weight) {
    var vs =
        tier.client()
            .resources(VirtualService.class)
            .inNamespace("shop")
            .withName(virtualService)
            .get();
    return hold(
        vs,
        "[{\"op\":\"add\",\"path\":\"/spec/http/0/route/0/weight\",\"value\":"
            + (100 - weight)
            + "},{\"op\":\"add\",\"path\":\"/spec/http/0/route/1/weight\",\"value\":"
            + weight
            + "}]");
  }

  FieldHolder.Hold hold(HasMetadata target, String jsonPatch) {
    var hold = holder().hold(target, jsonPatch);
    holds.add(hold);
    return hold;
  }

  /** An "add" of the pod-template hash label at {@code path} (a selector, a subset's labels). */
  static String pinnedAt(String path, String hash) {
    return "[{\"op\":\"add\",\"path\":\""
        + path
        + "/weir.dev~1pod-template-hash\",\"value\":\""
        + hash
        + "\"}]";
  }

  // ---------------------------------------------------------------------------------------------
  // Thens

  /** The rollout Degraded past its deadline: Stalled, reason ProgressDeadlineExceeded. */
  RolloutStatus awaitPastTheDeadline(String what) {
    var status =
        release.awaitStatus(
            "Degraded past the deadline while " + what,
            s -> s.phase == RolloutPhase.Degraded && stalledBy(s, "ProgressDeadlineExceeded"));
    assertThat(release.condition("Progressing")).isFalse();
    return status;
  }

  static boolean stalledBy(RolloutStatus status, String reason) {
    return status.conditions.stream()
        .anyMatch(
            c ->
                "Stalled".equals(c.getType())
                    && "True".equals(c.getStatus())
                    && reason.equals(c.getReason()));
  }

  /** Asks for progressDeadlineAbort, as a commit to git would. */
  RolloutStatus whenAbortAtTheDeadlineIsAskedFor() {
    release.edit(
        r -> {
          r.getSpec().progressDeadlineAbort = true;
          return r;
        });
    return release.awaitStatus("aborted at the deadline", s -> Boolean.TRUE.equals(s.abort));
  }

  /**
   * Weir does not keep writing what does not take: the hold sees a write or two more (a reconcile
   * the status write itself triggers), then none.
   */
  void assertNoWriteLoop(FieldHolder.Hold hold) {
    int before = hold.amended();
    await("no write loop on the held object")
        .during(Duration.ofSeconds(3))
        .atMost(Duration.ofSeconds(5))
        .until(() -> hold.amended() <= before + 3);
  }

  int canaryWeight() {
    return release.canaryWeight("checkout", "primary", "checkout-canary");
  }

  // ---------------------------------------------------------------------------------------------
  // Stories

  @Test
  void aWeightAWebhookKeepsAt0EndsDegradedAndAbortsWhenAskedWithTheWeightAt0() {
    givenStableCanary(r -> {});
    String v1 = release.status().stableRS;
    var hold = holdCanaryWeight("checkout", 0);

    release.setImage(V2);

    var stalled = awaitPastTheDeadline("setting the weight");
    assertThat(stalled.message)
        .isEqualTo(
            "setting canary weight 10% at step 1/6: the routes read back 0%" + PAST_THE_DEADLINE);
    assertThat(stalled.abort).isNull();
    assertThat(stalled.stableRS).isEqualTo(v1);
    assertThat(canaryWeight()).isZero();
    assertNoWriteLoop(hold);

    var aborted = whenAbortAtTheDeadlineIsAskedFor();
    assertThat(aborted.abortMessage)
        .isEqualTo(
            "rollout aborted: setting canary weight 10% at step 1/6: the routes read back 0%"
                + PAST_THE_DEADLINE);
    String v2 = aborted.currentPodHash;
    release.awaitStatus(
        "all traffic on stable, the canary scaled down",
        s ->
            s.message != null
                && s.message.endsWith("; all traffic on stable")
                && release.replicasByRevision().getOrDefault(v2, 0) == 0);
    assertThat(canaryWeight()).isZero();
    assertThat(release.condition("Aborted")).isTrue();
    assertThat(release.eventReasons()).contains("Aborted");
  }

  @Test
  void anAbortWhoseOwnWeightAWebhookKeepsSaysSoAndKeepsTheCanarysPods() {
    givenStableCanary(r -> r.getSpec().progressDeadlineAbort = true);
    release.setImage(V2);
    String v2 =
        release.awaitStatus(
                "v2 paused at 10 %", s -> s.phase == RolloutPhase.Paused && s.currentStepIndex == 1)
            .currentPodHash;
    var hold = holdCanaryWeight("checkout", 10);

    release.promote();

    var aborted = release.awaitStatus("aborted", s -> Boolean.TRUE.equals(s.abort));
    assertThat(aborted.abortMessage)
        .isEqualTo(
            "rollout aborted: setting canary weight 30% at step 3/6: the routes read back 10%"
                + PAST_THE_DEADLINE);
    var stuck = awaitPastTheDeadline("moving the abort's traffic");
    assertThat(stuck.message)
        .isEqualTo(
            aborted.abortMessage
                + "; moving traffic to stable: the routes read back 10%"
                + PAST_THE_DEADLINE);
    assertThat(canaryWeight()).isEqualTo(10);
    assertThat(release.replicasByRevision())
        .as("its traffic still reaches it: the canary keeps its pods")
        .containsEntry(v2, 2);
    assertNoWriteLoop(hold);
  }

  @Test
  void aDestinationRuleSubsetHeldAtStableEndsDegradedAndAbortsWhenAsked() {
    var rollout = Manifests.load("examples/canary-istio-subsets/rollout.yaml", Rollout.class);
    givenStable(
        List.of(
            "examples/canary-istio-subsets/service.yaml",
            "examples/canary-istio-subsets/destinationrule.yaml",
            "examples/canary-istio-subsets/virtualservice.yaml"),
        rollout);
    String v1 = release.status().stableRS;
    var rule =
        tier.client()
            .resources(DestinationRule.class)
            .inNamespace("shop")
            .withName("payments")
            .get();
    var hold = hold(rule, pinnedAt("/spec/subsets/1/labels", v1));

    release.setImage("registry.example/payments:3.2.0");

    var stalled = awaitPastTheDeadline("pointing the canary subset at v2");
    String v2 = stalled.currentPodHash;
    assertThat(stalled.message)
        .isEqualTo("moving the canary side to " + v2 + ": it selects " + v1 + PAST_THE_DEADLINE);
    assertThat(release.subsetHash("payments", "canary")).isEqualTo(v1);
    assertThat(release.subsetWeight("payments", "primary", "canary")).isZero();
    assertNoWriteLoop(hold);

    var aborted = whenAbortAtTheDeadlineIsAskedFor();
    assertThat(aborted.abortMessage).isEqualTo("rollout aborted: " + stalled.message);
    release.awaitStatus(
        "all traffic on stable",
        s -> s.message != null && s.message.endsWith("; all traffic on stable"));
    assertThat(release.subsetWeight("payments", "primary", "canary")).isZero();
    assertThat(release.subsetHash("payments", "stable")).isEqualTo(v1);
  }

  @Test
  void aPreviewServiceWhoseSelectorIsHeldEndsDegradedAndAbortsWhenAsked() {
    var rollout = Manifests.load("examples/blue-green/rollout.yaml", Rollout.class);
    // Judged by nothing: the preview Service is what never comes.
    rollout.getSpec().strategy.blueGreen.prePromotionAnalysis = null;
    rollout.getSpec().strategy.blueGreen.postPromotionAnalysis = null;
    givenStable(
        List.of("examples/blue-green/services.yaml", "examples/blue-green/virtualservice.yaml"),
        rollout);
    String v1 = release.status().stableRS;
    var preview = tier.client().services().inNamespace("shop").withName("checkout-preview").get();
    var hold = hold(preview, pinnedAt("/spec/selector", v1));

    release.setImage(V2);

    var stalled = awaitPastTheDeadline("pointing the preview Service at v2");
    String v2 = stalled.currentPodHash;
    assertThat(stalled.message)
        .isEqualTo("pointing the preview side at " + v2 + ": it selects " + v1 + PAST_THE_DEADLINE);
    assertThat(release.serviceSelectorHash("checkout-preview")).isEqualTo(v1);
    assertThat(release.serviceSelectorHash("checkout-active")).isEqualTo(v1);
    assertNoWriteLoop(hold);

    var aborted = whenAbortAtTheDeadlineIsAskedFor();
    assertThat(aborted.abortMessage).isEqualTo("rollout aborted: " + stalled.message);
    release.awaitStatus(
        "all traffic on stable",
        s -> s.message != null && s.message.endsWith("; all traffic on stable"));
    assertThat(release.canaryWeight("checkout", "primary", "checkout-preview")).isZero();
    assertThat(release.serviceSelectorHash("checkout-active")).isEqualTo(v1);
  }

  @Test
  void anAnalysisWhoseProviderNeverAnswersEndsDegradedWithinTheDeadlineNotTheQueryTimeout() {
    silent = SilentListener.start();
    Manifests.apply(tier.client(), "examples/canary-istio/namespace.yaml");
    tier.client().resource(silentTemplate(silent.address())).create();
    givenStableCanary(
        r -> {
          var analysis = new CanaryStep();
          analysis.analysis = new RolloutAnalysis();
          analysis.analysis.templates = List.of(new AnalysisTemplateRef("silent-success-rate"));
          var first = r.getSpec().strategy.canary.steps.get(0);
          var last = r.getSpec().strategy.canary.steps.get(2);
          r.getSpec().strategy.canary.steps = new ArrayList<>(List.of(first, analysis, last));
        });

    release.setImage(V2);

    // Well before the query's own timeout (30s): the reconcile does not sit in the query.
    RolloutStatus stalled;
    try {
      await("Degraded at the deadline, not at the query's timeout")
          .atMost(Duration.ofSeconds(RunningWeir.QUERY_TIMEOUT.toSeconds() - 5))
          .pollInterval(Duration.ofMillis(100))
          .until(
              () -> {
                var s = release.status();
                return s.phase == RolloutPhase.Degraded && stalledBy(s, "ProgressDeadlineExceeded");
              });
      stalled = release.status();
    } catch (ConditionTimeoutException e) {
      throw new AssertionError("last status:\n" + Serialization.asYaml(release.status()), e);
    }
    String run = stalled.stepAnalysisRun.name;
    assertThat(stalled.message)
        .isEqualTo(
            "analysis at step 2/3: waiting for AnalysisRun "
                + run
                + ", which has taken no measurement yet"
                + PAST_THE_DEADLINE);
    assertThat(silent.connections()).as("the query was sent").isPositive();
    var measured = analysisRun(run);
    assertThat(measured.getStatus() == null ? List.of() : measured.getStatus().metricResults)
        .allSatisfy(r -> assertThat(r.measurements).isEmpty());
    assertThat(canaryWeight()).isEqualTo(10);

    var aborted = whenAbortAtTheDeadlineIsAskedFor();
    assertThat(aborted.abortMessage).isEqualTo("rollout aborted: " + stalled.message);
    release.awaitStatus(
        "all traffic on stable, the run terminated",
        s ->
            s.message != null
                && s.message.endsWith("; all traffic on stable")
                && Boolean.TRUE.equals(analysisRun(run).getSpec().terminate));
    assertThat(canaryWeight()).isZero();
  }

  private AnalysisRun analysisRun(String name) {
    return tier.client().resources(AnalysisRun.class).inNamespace("shop").withName(name).get();
  }

  /** A template whose Prometheus never answers; its query would be fine. */
  private static AnalysisTemplate silentTemplate(String address) {
    return Serialization.unmarshal(
        """
        apiVersion: weir.dev/v1alpha1
        kind: AnalysisTemplate
        metadata:
          name: silent-success-rate
          namespace: shop
        spec:
          metrics:
            - name: success-rate
              successCondition: "result[0] >= 0.99"
              provider:
                prometheus:
                  address: %s
                  query: vector(1)
        """
            .formatted(address),
        AnalysisTemplate.class);
  }
}
