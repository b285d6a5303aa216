package dev.weir.rollout.plan;

import static dev.weir.rollout.plan.PlannerFixtures.NOW;
import static dev.weir.rollout.plan.PlannerFixtures.V1;
import static dev.weir.rollout.plan.PlannerFixtures.V2;
import static dev.weir.rollout.plan.PlannerFixtures.blueGreenSpec;
import static dev.weir.rollout.plan.PlannerFixtures.canaryV2At;
import static dev.weir.rollout.plan.PlannerFixtures.classicSpec;
import static dev.weir.rollout.plan.PlannerFixtures.pauseStep;
import static dev.weir.rollout.plan.PlannerFixtures.plan;
import static dev.weir.rollout.plan.PlannerFixtures.reasonOf;
import static dev.weir.rollout.plan.PlannerFixtures.releasingV2;
import static dev.weir.rollout.plan.PlannerFixtures.revision;
import static dev.weir.rollout.plan.PlannerFixtures.seen;
import static dev.weir.rollout.plan.PlannerFixtures.status;
import static dev.weir.rollout.plan.PlannerFixtures.statusOf;
import static dev.weir.rollout.plan.PlannerFixtures.steadyOnV1;
import static dev.weir.rollout.plan.PlannerFixtures.steps;
import static dev.weir.rollout.plan.PlannerFixtures.traffic;
import static dev.weir.rollout.plan.PlannerFixtures.weightStep;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Named.named;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import dev.weir.api.v1alpha1.AnalysisPhase;
import dev.weir.api.v1alpha1.AnalysisTemplateRef;
import dev.weir.api.v1alpha1.CanaryStep;
import dev.weir.api.v1alpha1.RolloutAnalysis;
import dev.weir.api.v1alpha1.RolloutPhase;
import dev.weir.api.v1alpha1.RolloutSpec;
import dev.weir.api.v1alpha1.TrafficRouting;
import dev.weir.rollout.plan.Action.Pin;
import dev.weir.rollout.plan.Action.ScaleRevision;
import dev.weir.rollout.plan.Action.SetWeight;
import dev.weir.rollout.plan.PlannerFixtures.ObservationBuilder;
import dev.weir.rollout.plan.PlannerFixtures.StatusBuilder;
import dev.weir.traffic.Side;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The progress deadline: a release that makes no progress for progressDeadlineSeconds (600 unless
 * set) is Stalled and Degraded, and aborted when progressDeadlineAbort says so, whatever it waits
 * for: canary pods, a weight or a selector that never reads back, an AnalysisRun that takes no
 * measurement, the promotion, an abort's own traffic; the message says what it waited for. Time
 * spent in a pause does not count, an analysis that measures on schedule is progress, and a healthy
 * rollout's clock starts when someone disturbs it. The spec is examples/canary-istio (5 replicas;
 * steps 10 %, pause, 30 %, pause 2m, 60 %, pause 2m); v1 is stable, v2 the canary.
 */
class ProgressDeadlinePlanTest {

  static Stream<Arguments> deadline() {
    return Stream.of(
        noProgressFor(599).staysProgressing(),
        noProgressFor(599).abortingAtTheDeadline().staysProgressing(),
        noProgressFor(600).degrades(),
        noProgressFor(600).abortingAtTheDeadline().aborts(),
        noProgressFor(3600).abortingAtTheDeadline().aborts(),
        noProgressFor(59).deadline(60).abortingAtTheDeadline().staysProgressing(),
        noProgressFor(61).deadline(60).degrades());
  }

  private static NoProgress noProgressFor(long seconds) {
    return new NoProgress(seconds);
  }

  /** A row of {@link #deadline}: seconds without progress, the spec, then what becomes of it. */
  private static final class NoProgress {
    private final long since;
    private Integer deadline;
    private boolean abort;

    private NoProgress(long since) {
      this.since = since;
    }

    /** progressDeadlineSeconds; 600 when unset. */
    NoProgress deadline(int seconds) {
      this.deadline = seconds;
      return this;
    }

    /** progressDeadlineAbort: true. */
    NoProgress abortingAtTheDeadline() {
      this.abort = true;
      return this;
    }

    Arguments staysProgressing() {
      return then(RolloutPhase.Progressing, null);
    }

    Arguments degrades() {
      return then(RolloutPhase.Degraded, null);
    }

    Arguments aborts() {
      return then(RolloutPhase.Degraded, true);
    }

    private Arguments then(RolloutPhase phase, Boolean aborted) {
      String name =
          "%ds without progress, deadline %s%s: %s%s"
              .formatted(
                  since,
                  deadline == null ? "unset (600s)" : deadline + "s",
                  abort ? ", progressDeadlineAbort" : "",
                  phase,
                  Boolean.TRUE.equals(aborted) ? ", aborted" : "");
      return arguments(named(name, since), deadline, abort, phase, aborted);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("deadline")
  void aProgressDeadlineExceededWhileWaitingForPods(
      long since, Integer deadline, boolean abort, RolloutPhase phase, Boolean aborted) {
    var spec = classicSpec();
    spec.progressDeadlineSeconds = deadline;
    spec.progressDeadlineAbort = abort;
    var seen = canaryV2At(10).revisions(revision(V2).replicas(2).available(0));
    var given =
        releasingV2()
            .atStep(2)
            .weight(10)
            .podsCountedFrom(seen)
            .progressedAt(NOW.minusSeconds(since))
            .build();

    var plan = plan(spec, given, seen.build());

    var status = plan.status();
    assertThat(plan.actions()).isEmpty();
    assertThat(status.phase).isEqualTo(phase);
    assertThat(status.abort).isEqualTo(aborted);
    assertThat(status.currentStepIndex).isEqualTo(2);
    assertThat(status.progressedAt).as("no progress").isEqualTo(given.progressedAt);
    int limit = deadline == null ? 600 : deadline;
    if (phase == RolloutPhase.Progressing) {
      assertThat(plan.requeueAfter()).contains(Duration.ofSeconds(limit - since));
      assertThat(plan.events()).isEmpty();
      return;
    }
    assertThat(status.message)
        .contains("waiting for canary pods: 0/2 available")
        .contains("no progress for " + limit + "s (progressDeadlineSeconds)");
    assertThat(reasonOf(status, StatusConditions.STALLED)).isEqualTo("ProgressDeadlineExceeded");
    assertThat(statusOf(status, StatusConditions.ABORTED))
        .isEqualTo(Boolean.TRUE.equals(aborted) ? "True" : "False");
    if (Boolean.TRUE.equals(aborted)) {
      assertThat(status.abortedAt).isEqualTo(NOW.toString());
      assertThat(status.message).startsWith("rollout aborted: ");
      assertThat(plan.events()).extracting(e -> e.reason().name()).containsExactly("Aborted");
    } else {
      assertThat(plan.events())
          .singleElement()
          .satisfies(
              e -> {
                assertThat(e.reason()).isEqualTo(EventReason.ProgressDeadlineExceeded);
                assertThat(e.message()).isEqualTo(status.message);
              });
      // Told once: the next pass finds the rollout stalled already.
      assertThat(plan(spec, status, seen.build()).events()).isEmpty();
    }
  }

  /** The classic spec with progressDeadlineAbort: no progress by the deadline aborts. */
  private static RolloutSpec abortingAtTheDeadline() {
    var spec = classicSpec();
    spec.progressDeadlineAbort = true;
    return spec;
  }

  @Test
  void anAbortedDeadlineSendsTrafficBackOnTheNextPass() {
    var spec = abortingAtTheDeadline();
    var seen = canaryV2At(10).revisions(revision(V2).replicas(2).available(0)).build();
    var given =
        releasingV2()
            .atStep(2)
            .weight(10)
            .podsCountedFrom(seen)
            .progressedAt(NOW.minusSeconds(700));

    var first = plan(spec, given.build(), seen);
    var next = plan(spec, first.status(), seen);

    assertThat(next.actions()).containsExactly(new SetWeight(0));
    assertThat(next.events()).as("announced once").isEmpty();
    assertThat(next.status().message).contains("no progress for 600s");
  }

  @Test
  void aProgressDeadlineWhilePromotingAbortsWhenAsked() {
    var spec = abortingAtTheDeadline();
    var seen = canaryV2At(60).revisions(revision(V2).replicas(5).available(0));
    var given =
        releasingV2()
            .atStep(6)
            .weight(60)
            .podsCountedFrom(seen)
            .progressedAt(NOW.minusSeconds(700));

    var plan = plan(spec, given, seen);

    assertThat(plan.status().phase).isEqualTo(RolloutPhase.Degraded);
    assertThat(plan.status().abort).isTrue();
  }

  static Stream<Arguments> longPauses() {
    return Stream.of(
        arguments(
            "promote after an hour at a pause without duration",
            (Consumer<RolloutSpec>) s -> {},
            (Consumer<SimulatedCluster>)
                c -> {
                  c.advance(Duration.ofHours(1));
                  c.reconcile().promote();
                }),
        arguments(
            "a pause of 15m ends",
            (Consumer<RolloutSpec>) s -> s.strategy.canary.steps.set(1, pauseStep("15m")),
            (Consumer<SimulatedCluster>) c -> c.advance(Duration.ofMinutes(15))),
        arguments(
            "held by spec.paused for an hour, then resumed",
            (Consumer<RolloutSpec>) s -> {},
            (Consumer<SimulatedCluster>)
                c -> {
                  c.spec.paused = true;
                  c.promote().reconcile();
                  c.advance(Duration.ofHours(1));
                  c.reconcile();
                  c.spec.paused = false;
                }));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("longPauses")
  void timeSpentPausedDoesNotCountTowardTheDeadline(
      String what, Consumer<RolloutSpec> change, Consumer<SimulatedCluster> endThePause) {
    var spec = abortingAtTheDeadline();
    change.accept(spec);
    var cluster = SimulatedCluster.stableOn(spec, V1).declare(V2).reconcile();
    assertThat(cluster.status.currentStepIndex).isEqualTo(1);
    cluster.holdPods();

    endThePause.accept(cluster);
    cluster.reconcile();

    assertThat(cluster.status.abort).isNull();
    assertThat(cluster.status.phase).isEqualTo(RolloutPhase.Progressing);
    assertThat(cluster.status.currentStepIndex).isEqualTo(2);
  }

  // ---------------------------------------------------------------------------------------------
  // Every wait of every state

  /** An analysis at the second step: 20 %, an analysis, 50 %. */
  private static RolloutSpec withAnalysisStep() {
    var spec = classicSpec();
    var analysis = new CanaryStep();
    analysis.analysis = new RolloutAnalysis();
    analysis.analysis.templates = List.of(new AnalysisTemplateRef("istio-success-rate"));
    spec.strategy.canary.steps = steps(weightStep(20), analysis, weightStep(50));
    return spec;
  }

  /**
   * A wait that the cluster never ends: what the release is given and sees, what the plan still
   * asks for, and what the message says it waits for.
   */
  private record Wait(
      String name,
      Supplier<RolloutSpec> spec,
      Supplier<StatusBuilder> given,
      Supplier<ObservationBuilder> seen,
      List<Action> asks,
      String what) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Stream<Wait> everyWait() {
    return Stream.of(
        new Wait(
            "setWeight 30 at step 3 that never reads back",
            PlannerFixtures::classicSpec,
            () -> releasingV2().atStep(2).weight(30).verifiedWeight(10),
            () -> canaryV2At(10).revisions(revision(V2).replicas(2).available(2)),
            List.of(new SetWeight(30)),
            "setting canary weight 30% at step 3/6: the routes read back 10%"),
        new Wait(
            "a weight someone else changed, restored and changed again",
            PlannerFixtures::classicSpec,
            () -> releasingV2().atStep(2).weight(10),
            () -> canaryV2At(0).revisions(revision(V2).replicas(1).available(1)),
            List.of(new SetWeight(10)),
            "restoring canary weight 10% (the routes read back 0%)"),
        new Wait(
            "a canary side that never moves to the new revision",
            PlannerFixtures::classicSpec,
            () -> releasingV2().atStep(0).weight(0),
            () ->
                canaryV2At(0)
                    .traffic(traffic().canaryWeight(0).stableSelects(V1).canarySelects(V1)),
            List.of(new Pin(Side.CANARY, V2)),
            "moving the canary side to v2: it selects v1"),
        new Wait(
            "a stable side pointed elsewhere that never comes back",
            PlannerFixtures::classicSpec,
            () -> releasingV2().atStep(2).weight(10),
            () ->
                canaryV2At(10)
                    .traffic(traffic().canaryWeight(10).stableSelects(V2).canarySelects(V2))
                    .revisions(revision(V2).replicas(1).available(1)),
            List.of(new Pin(Side.STABLE, V1)),
            "restoring the stable side on v1 (it selects v2)"),
        new Wait(
            "an AnalysisRun that takes no measurement",
            ProgressDeadlinePlanTest::withAnalysisStep,
            () -> releasingV2().atStep(1).weight(20).waitingOn("checkout-v2-1-step-1"),
            () ->
                canaryV2At(20)
                    .revisions(revision(V2).replicas(1).available(1))
                    .runs(pendingRun("checkout-v2-1-step-1", NOW.minusSeconds(3600))),
            List.of(),
            "analysis at step 2/3: waiting for AnalysisRun checkout-v2-1-step-1, which has taken"
                + " no measurement yet"),
        new Wait(
            "promotion: 100 % that never reads back",
            PlannerFixtures::classicSpec,
            () -> releasingV2().atStep(6).weight(100).verifiedWeight(60),
            () -> canaryV2At(60).revisions(revision(V2).replicas(5).available(5)),
            List.of(new SetWeight(100)),
            "moving all traffic to v2: the routes read back 60%"),
        new Wait(
            "promotion: a stable side that never points at the new revision",
            PlannerFixtures::classicSpec,
            () -> releasingV2().atStep(6).weight(100),
            () -> canaryV2At(100).revisions(revision(V2).replicas(5).available(5)),
            List.of(new Pin(Side.STABLE, V2)),
            "pointing the stable side at v2: it selects v1"));
  }

  /** A run that has measured nothing, its first measurement due since then. */
  private static AnalysisRunView pendingRun(String name, java.time.Instant due) {
    return new AnalysisRunView(
        name, V2, AnalysisPhase.Pending, null, false, due.minusSeconds(1), null, due);
  }

  @ParameterizedTest(name = "{0}: Degraded at the deadline, saying what it waited for")
  @MethodSource("everyWait")
  void everyWaitEndsDegradedAtTheDeadline(Wait wait) {
    var plan =
        plan(
            wait.spec().get(),
            wait.given().get().progressedAt(NOW.minusSeconds(3600)).build(),
            wait.seen().get().build());

    var status = plan.status();
    assertThat(status.phase).as(status.message).isEqualTo(RolloutPhase.Degraded);
    assertThat(status.message)
        .isEqualTo(wait.what() + ": no progress for 600s (progressDeadlineSeconds)");
    assertThat(reasonOf(status, StatusConditions.STALLED)).isEqualTo("ProgressDeadlineExceeded");
    assertThat(reasonOf(status, StatusConditions.PROGRESSING))
        .isEqualTo("ProgressDeadlineExceeded");
    assertThat(status.abort).as("not asked to abort").isNull();
    assertThat(plan.actions()).as("the write is still asked for, once").isEqualTo(wait.asks());
    assertThat(status.stableRS).isEqualTo(V1);
  }

  @ParameterizedTest(name = "{0}, with progressDeadlineAbort: aborted, traffic first")
  @MethodSource("everyWait")
  void everyWaitAbortsAtTheDeadlineWhenAsked(Wait wait) {
    var spec = wait.spec().get();
    spec.progressDeadlineAbort = true;
    var seen = wait.seen().get().build();

    var first = plan(spec, wait.given().get().progressedAt(NOW.minusSeconds(3600)).build(), seen);
    var next = plan(spec, first.status(), seen);

    assertThat(first.status().abort).isTrue();
    assertThat(first.status().abortMessage)
        .isEqualTo(
            "rollout aborted: " + wait.what() + ": no progress for 600s (progressDeadlineSeconds)");
    assertThat(first.events()).extracting(e -> e.reason().name()).endsWith("Aborted");
    assertThat(first.events().get(first.events().size() - 1).cause())
        .isEqualTo(AbortCause.ProgressDeadlineExceeded);
    assertThat(next.actions())
        .as("traffic first: nothing scales down before the weight is back")
        .noneMatch(ScaleRevision.class::isInstance);
  }

  @ParameterizedTest(name = "{0}, a second short of the deadline: still Progressing")
  @MethodSource("everyWait")
  void everyWaitWithinTheDeadlineRequeuesForIt(Wait wait) {
    var spec = wait.spec().get();
    spec.progressDeadlineAbort = true;
    var given = wait.given().get().progressedAt(NOW.minusSeconds(599));
    var seen = wait.seen().get();
    if (wait.name().contains("AnalysisRun")) {
      seen = seen.runs(pendingRun("checkout-v2-1-step-1", NOW.minusSeconds(599)));
    }

    var plan = plan(spec, given.build(), seen.build());

    assertThat(plan.status().phase).isEqualTo(RolloutPhase.Progressing);
    assertThat(plan.status().abort).isNull();
    assertThat(plan.status().message).isEqualTo(wait.what());
    assertThat(plan.requeueAfter()).contains(Duration.ofSeconds(1));
  }

  @Test
  void anAbortWhoseOwnWeightNeverReadsBackSaysSoAndKeepsTheCanarysPods() {
    var spec = abortingAtTheDeadline();
    var given =
        releasingV2()
            .atStep(2)
            .weight(0)
            .verifiedWeight(10)
            .abortedAt(NOW.minusSeconds(601))
            .progressedAt(NOW.minusSeconds(3600));
    given.build().abortMessage = "rollout aborted: analysis at step 3/6 failed";
    var seen = canaryV2At(10).revisions(revision(V2).replicas(1).available(1));

    var plan = plan(spec, given, seen);

    assertThat(plan.status().phase).isEqualTo(RolloutPhase.Degraded);
    assertThat(plan.status().message)
        .isEqualTo(
            "rollout aborted: analysis at step 3/6 failed; moving traffic to stable: the routes"
                + " read back 10%: no progress for 600s (progressDeadlineSeconds)");
    assertThat(reasonOf(plan.status(), StatusConditions.STALLED))
        .isEqualTo("ProgressDeadlineExceeded");
    assertThat(statusOf(plan.status(), StatusConditions.ABORTED)).isEqualTo("True");
    assertThat(plan.actions()).containsExactly(new SetWeight(0));
    assertThat(plan.events()).isEmpty();
  }

  @Test
  void anAbortGetsItsOwnDeadlineForItsTraffic() {
    var plan =
        plan(
            abortingAtTheDeadline(),
            releasingV2()
                .atStep(2)
                .weight(0)
                .verifiedWeight(10)
                .abortedAt(NOW.minusSeconds(599))
                .progressedAt(NOW.minusSeconds(3600)),
            canaryV2At(10).revisions(revision(V2).replicas(1).available(1)));

    assertThat(plan.status().message)
        .endsWith("moving traffic to stable: the routes read back 10%");
    assertThat(reasonOf(plan.status(), StatusConditions.STALLED)).isEqualTo("Aborted");
    assertThat(plan.requeueAfter()).contains(Duration.ofSeconds(1));
  }

  @Test
  void aWaitWhilePausedDoesNotCount() {
    var plan =
        plan(
            abortingAtTheDeadline(),
            releasingV2().atStep(1).weight(10).pausedSince(NOW.minusSeconds(3600)),
            canaryV2At(0).revisions(revision(V2).replicas(1).available(1)));

    assertThat(plan.actions()).containsExactly(new SetWeight(10));
    assertThat(plan.status().phase).isEqualTo(RolloutPhase.Progressing);
    assertThat(plan.status().abort).isNull();
    assertThat(plan.requeueAfter()).isEmpty();
  }

  @Test
  void anAnalysisThatMeasuresOnScheduleIsProgress() {
    var spec = withAnalysisStep();
    spec.progressDeadlineAbort = true;
    var measuring =
        new AnalysisRunView(
            "checkout-v2-1-step-1",
            V2,
            AnalysisPhase.Running,
            null,
            false,
            NOW.minusSeconds(3600),
            NOW.minusSeconds(10),
            NOW.plusSeconds(50));

    var plan =
        plan(
            spec,
            releasingV2()
                .atStep(1)
                .weight(20)
                .waitingOn("checkout-v2-1-step-1")
                .progressedAt(NOW.minusSeconds(3600)),
            canaryV2At(20).revisions(revision(V2).replicas(1).available(1)).runs(measuring));

    assertThat(plan.status().phase).isEqualTo(RolloutPhase.Progressing);
    assertThat(plan.status().abort).isNull();
    assertThat(reasonOf(plan.status(), StatusConditions.PROGRESSING)).isEqualTo("Analyzing");
    assertThat(plan.requeueAfter()).contains(Duration.ofSeconds(650));
  }

  @Test
  void aHealthyRolloutsClockStartsWhenSomeoneDisturbsIt() {
    var spec = abortingAtTheDeadline();
    var disturbed =
        steadyOnV1().traffic(traffic().canaryWeight(30).stableSelects(V1).canarySelects(V1));

    var first =
        plan(
            spec,
            status()
                .steadyOn(V1)
                .atStep(6)
                .weight(0)
                .phase(RolloutPhase.Healthy)
                .progressedAt(NOW.minusSeconds(86_400)),
            disturbed);
    var atTheDeadline = plan(spec, first.status(), disturbed.at(NOW.plusSeconds(600)).build());

    assertThat(first.status().phase).isEqualTo(RolloutPhase.Progressing);
    assertThat(first.status().progressedAt).isEqualTo(NOW.toString());
    assertThat(first.actions()).containsExactly(new SetWeight(0));
    assertThat(first.events()).extracting(e -> e.reason().name()).containsExactly("WeightRestored");
    assertThat(atTheDeadline.status().phase).isEqualTo(RolloutPhase.Degraded);
    assertThat(atTheDeadline.status().message)
        .isEqualTo(
            "moving all traffic to stable: the routes read back 30%: no progress for 600s"
                + " (progressDeadlineSeconds)");
    assertThat(atTheDeadline.status().abort).as("a steady rollout has nothing to abort").isNull();
    assertThat(atTheDeadline.actions()).containsExactly(new SetWeight(0));
  }

  // ---------------------------------------------------------------------------------------------
  // Stories: someone else holds what Weir writes

  @Test
  void aWeightHeldBySomeoneElseAbortsAtTheDeadlineAndTheAbortSaysItsOwnWeightDidNotMove() {
    var spec = abortingAtTheDeadline();
    var cluster = SimulatedCluster.stableOn(spec, V1).declare(V2).reconcile();
    assertThat(cluster.weight).isEqualTo(10);
    // A webhook keeps the route at 10 % from now on.
    cluster.afterEachPass = c -> c.weight = 10;

    cluster.promote().reconcile();
    assertThat(cluster.status.phase).isEqualTo(RolloutPhase.Progressing);
    assertThat(cluster.status.message)
        .isEqualTo("setting canary weight 30% at step 3/6: the routes read back 10%");
    cluster.advance(Duration.ofSeconds(600));
    cluster.reconcile();
    assertThat(cluster.status.abort).isTrue();
    assertThat(cluster.status.abortMessage)
        .isEqualTo(
            "rollout aborted: setting canary weight 30% at step 3/6: the routes read back 10%: no"
                + " progress for 600s (progressDeadlineSeconds)");
    long writesBefore = cluster.actions().stream().filter(new SetWeight(0)::equals).count();
    cluster.advance(Duration.ofSeconds(600));
    cluster.reconcile();

    assertThat(cluster.status.phase).isEqualTo(RolloutPhase.Degraded);
    assertThat(cluster.status.message)
        .endsWith(
            "; moving traffic to stable: the routes read back 10%: no progress for 600s"
                + " (progressDeadlineSeconds)");
    assertThat(cluster.actions().stream().filter(new SetWeight(0)::equals).count())
        .as("one write per reconcile, no loop")
        .isEqualTo(writesBefore + 1);
    assertThat(cluster.replicas(V2))
        .as("its traffic still flows: the canary keeps its pods")
        .isEqualTo(2);
    assertThat(cluster.violations).isEmpty();
  }

  @Test
  void aPreviewServiceThatNeverSelectsTheNewRevisionIsDegradedAtTheDeadline() {
    var spec = blueGreenSpec(b -> {});
    spec.progressDeadlineSeconds = 60;
    var cluster = SimulatedCluster.stableOn(spec, V1);
    // Someone resets the preview Service's selector to v1 whenever it changes.
    cluster.afterEachPass = c -> c.pins.put(Side.CANARY, Set.of(V1));

    cluster.declare(V2).reconcile();
    cluster.advance(Duration.ofSeconds(60));
    cluster.reconcile();

    assertThat(cluster.status.phase).isEqualTo(RolloutPhase.Degraded);
    assertThat(cluster.status.message)
        .isEqualTo(
            "pointing the preview side at v2: it selects v1: no progress for 60s"
                + " (progressDeadlineSeconds)");
    assertThat(cluster.status.stableRS).isEqualTo(V1);
  }

  @Test
  void aSwitchThatNeverHoldsIsDegradedAtTheDeadlineAndAbortsWhenAsked() {
    var spec = blueGreenSpec(b -> b.trafficRouting = new TrafficRouting());
    spec.progressDeadlineSeconds = 60;
    spec.progressDeadlineAbort = true;
    var cluster = SimulatedCluster.stableOn(spec, V1);
    // A webhook keeps all traffic on the active Service.
    cluster.afterEachPass = c -> c.weight = 0;

    cluster.declare(V2).reconcile();
    assertThat(cluster.status.message)
        .isEqualTo("restoring the switch to v2: the routes read back 0%");
    cluster.advance(Duration.ofSeconds(60));
    cluster.reconcile();

    assertThat(cluster.status.abort).isTrue();
    assertThat(cluster.status.abortMessage)
        .isEqualTo(
            "rollout aborted: restoring the switch to v2: the routes read back 0%: no progress for"
                + " 60s (progressDeadlineSeconds)");
    assertThat(cluster.status.message).endsWith("; all traffic on stable");
    assertThat(cluster.status.stableRS).isEqualTo(V1);
    assertThat(cluster.weight).isZero();
  }
}
