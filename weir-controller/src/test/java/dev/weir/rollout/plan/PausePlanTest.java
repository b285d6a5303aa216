package dev.weir.rollout.plan;

import static dev.weir.rollout.plan.PlannerFixtures.NOW;
import static dev.weir.rollout.plan.PlannerFixtures.PAUSE_STEP;
import static dev.weir.rollout.plan.PlannerFixtures.V1;
import static dev.weir.rollout.plan.PlannerFixtures.V2;
import static dev.weir.rollout.plan.PlannerFixtures.canaryV2At;
import static dev.weir.rollout.plan.PlannerFixtures.classicSpec;
import static dev.weir.rollout.plan.PlannerFixtures.plan;
import static dev.weir.rollout.plan.PlannerFixtures.reasonOf;
import static dev.weir.rollout.plan.PlannerFixtures.releasingV2;
import static dev.weir.rollout.plan.PlannerFixtures.revision;
import static dev.weir.rollout.plan.PlannerFixtures.seen;
import static dev.weir.rollout.plan.PlannerFixtures.status;
import static dev.weir.rollout.plan.PlannerFixtures.statusOf;
import static dev.weir.rollout.plan.PlannerRow.asksFor;
import static dev.weir.rollout.plan.PlannerRow.asksForNothing;
import static dev.weir.rollout.plan.PlannerRow.expect;
import static dev.weir.rollout.plan.PlannerRow.row;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Named.named;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import dev.weir.api.v1alpha1.PauseCondition;
import dev.weir.api.v1alpha1.PromoteRequest;
import dev.weir.api.v1alpha1.RolloutPhase;
import dev.weir.api.v1alpha1.RolloutStatus;
import dev.weir.rollout.plan.Action.CreateRevision;
import dev.weir.rollout.plan.Action.ScaleRevision;
import dev.weir.rollout.plan.PlannerFixtures.ObservationBuilder;
import dev.weir.rollout.plan.PlannerFixtures.StatusBuilder;
import dev.weir.rollout.plan.PlannerRow.Expected;
import java.time.Duration;
import java.time.Instant;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Pauses and what ends them: a pause with a duration ends on time, one without waits for {@code
 * kubectl weir promote} (or {@code promote --full}, which skips every step left), a promote ends a
 * pause with time left, and spec.paused holds any step, and the promotion, until it is unset. The
 * spec is examples/canary-istio (5 replicas; steps 10 %, pause, 30 %, pause 2m, 60 %, pause 2m); v1
 * is stable, v2 the canary.
 */
class PausePlanTest {

  static Stream<Arguments> timedPause() {
    return Stream.of(
        pauseNotStarted().stillPausedRequeueingIn(120),
        pauseStartedSecondsAgo(0).stillPausedRequeueingIn(120),
        pauseStartedSecondsAgo(30).stillPausedRequeueingIn(90),
        pauseStartedSecondsAgo(119).stillPausedRequeueingIn(1),
        pauseStartedSecondsAgo(120).over(),
        pauseStartedSecondsAgo(600).over());
  }

  /** No pause condition yet: the pause starts with this pass. */
  private static PauseStart pauseNotStarted() {
    return new PauseStart(-1);
  }

  private static PauseStart pauseStartedSecondsAgo(long seconds) {
    return new PauseStart(seconds);
  }

  /** A row of {@link #timedPause}: when the pause of step 3 (2m) started, then the step. */
  private record PauseStart(long secondsAgo) {

    Arguments stillPausedRequeueingIn(long seconds) {
      return then(3, seconds, "still at step 3, requeue in " + seconds + "s");
    }

    /** On to step 4, setWeight 60. */
    Arguments over() {
      return then(4, -1, "over, on to step 4 (setWeight 60)");
    }

    private Arguments then(int step, long requeue, String what) {
      String started = secondsAgo < 0 ? "not started yet" : "started " + secondsAgo + "s ago";
      return arguments(named("pause 2m " + started + ": " + what, secondsAgo), step, requeue);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("timedPause")
  void aPauseWithADurationWaitsForItsEnd(long startedAgo, int step, long requeue) {
    var given = releasingV2().atStep(3).weight(30);
    if (startedAgo >= 0) {
      given.pauseCondition(PAUSE_STEP, NOW.minusSeconds(startedAgo));
    }
    var seen = canaryV2At(30).revisions(revision(V2).replicas(2).available(2));

    var plan = plan(given, seen);

    if (step == 3) {
      Instant start = NOW.minusSeconds(Math.max(0, startedAgo));
      expect(plan, asksForNothing().phase(RolloutPhase.Paused).step(3).weight(30));
      assertThat(plan.requeueAfter()).contains(Duration.ofSeconds(requeue));
      assertThat(plan.status().pauseConditions)
          .containsExactly(new PauseCondition(PAUSE_STEP, start.toString()));
      assertThat(plan.status().message)
          .isEqualTo("paused at step 4/6 until " + start.plusSeconds(120));
      assertThat(statusOf(plan.status(), StatusConditions.PAUSED)).isEqualTo("True");
    } else {
      // Over: on to setWeight 60, which first asks for the third canary pod.
      expect(
          plan,
          asksFor(new ScaleRevision(V2, 3, null))
              .phase(RolloutPhase.Progressing)
              .step(4)
              .weight(30));
      assertThat(plan.status().pauseConditions).isEmpty();
      assertThat(statusOf(plan.status(), StatusConditions.PAUSED)).isEqualTo("False");
    }
  }

  static Stream<Arguments> indefinitePause() {
    return Stream.of(
        arguments(
            "no request: still paused, no requeue",
            null,
            asksForNothing().phase(RolloutPhase.Paused).step(1).weight(10)),
        arguments(
            "promote: step 1 ends, setWeight 30 scales the canary",
            PromoteRequest.Step,
            asksFor(new ScaleRevision(V2, 2, null))
                .phase(RolloutPhase.Progressing)
                .step(2)
                .weight(10)
                .events("StepPromoted")),
        arguments(
            "promote --full: every step skipped, the canary scales to full size",
            PromoteRequest.Full,
            asksFor(new ScaleRevision(V2, 5, null))
                .phase(RolloutPhase.Progressing)
                .step(6)
                .weight(10)
                .events("PromotedFull")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("indefinitePause")
  void aPauseWithoutDurationWaitsForPromote(
      String what, PromoteRequest promote, Expected expected) {
    var given =
        releasingV2().atStep(1).weight(10).pausedSince(NOW.minusSeconds(60)).promote(promote);
    var seen = canaryV2At(10).revisions(revision(V2).replicas(1).available(1));

    var plan = plan(given, seen);

    expect(plan, expected);
    assertThat(plan.status().promote).as("a request is carried out once").isNull();
    if (promote == null) {
      assertThat(plan.requeueAfter()).isEmpty();
      assertThat(plan.status().message).isEqualTo("paused at step 2/6: waiting for promote");
      assertThat(plan.status().pauseConditions)
          .extracting(p -> p.reason)
          .containsExactly(PAUSE_STEP);
    } else {
      assertThat(plan.status().pauseConditions).isEmpty();
    }
  }

  @Test
  void promoteEndsAPauseWithTimeLeft() {
    var given =
        releasingV2()
            .atStep(3)
            .weight(30)
            .pausedSince(NOW.minusSeconds(10))
            .promote(PromoteRequest.Step);

    var plan = plan(given, canaryV2At(30).revisions(revision(V2).replicas(2).available(2)));

    expect(
        plan,
        asksFor(new ScaleRevision(V2, 3, null))
            .phase(RolloutPhase.Progressing)
            .step(4)
            .weight(30)
            .events("StepPromoted"));
  }

  // ---------------------------------------------------------------------------------------------
  // spec.paused

  static Stream<Arguments> userPause() {
    return Stream.of(
        arguments(
            "before setWeight 30 scales the canary",
            releasingV2().atStep(2).weight(10),
            canaryV2At(10).revisions(revision(V2).replicas(1).available(1))),
        arguments(
            "at a pause of 2m long over",
            releasingV2().atStep(3).weight(30).pausedSince(NOW.minusSeconds(600)),
            canaryV2At(30).revisions(revision(V2).replicas(2).available(2))),
        arguments("before the first canary pod", releasingV2().atStep(0).weight(0), canaryV2At(0)),
        arguments(
            "with a promote request pending",
            releasingV2()
                .atStep(1)
                .weight(10)
                .pausedSince(NOW.minusSeconds(60))
                .promote(PromoteRequest.Step),
            canaryV2At(10).revisions(revision(V2).replicas(1).available(1))));
  }

  @ParameterizedTest(name = "spec.paused {0}: the step holds")
  @MethodSource("userPause")
  void specPausedHoldsTheStep(String what, StatusBuilder status, ObservationBuilder seen) {
    var given = status.build();
    int step = given.promote == null ? given.currentStepIndex : given.currentStepIndex + 1;

    var plan = planPausedBySpec(given, seen);

    assertThat(plan.status().currentStepIndex).isEqualTo(step);
    assertThat(plan.status().currentWeight).isEqualTo(given.currentWeight);
    assertThat(plan.status().pauseConditions).extracting(p -> p.reason).contains("UserPause");
    assertThat(plan.status().message)
        .startsWith("paused by spec.paused at step " + (step + 1) + "/6");
    assertThat(reasonOf(plan.status(), StatusConditions.PAUSED)).isEqualTo("UserPause");
    assertThat(statusOf(plan.status(), StatusConditions.RECONCILING)).isEqualTo("True");
  }

  @Test
  void resumingGoesOnWhereItHeld() {
    var given =
        releasingV2().atStep(2).weight(10).pauseCondition("UserPause", NOW.minusSeconds(900));

    var plan = plan(given, canaryV2At(10).revisions(revision(V2).replicas(1).available(1)));

    expect(
        plan,
        asksFor(new ScaleRevision(V2, 2, null)).phase(RolloutPhase.Progressing).step(2).weight(10));
    assertThat(plan.status().pauseConditions).isEmpty();
  }

  static Stream<Arguments> pausedPromotion() {
    return Stream.of(
        arguments(
            "after the last step, before all traffic moved",
            releasingV2().atStep(6).weight(60),
            canaryV2At(60).revisions(revision(V2).replicas(5).available(5))),
        arguments(
            "with promote --full",
            releasingV2()
                .atStep(1)
                .weight(10)
                .pausedSince(NOW.minusSeconds(60))
                .promote(PromoteRequest.Full),
            canaryV2At(10).revisions(revision(V2).replicas(1).available(1))));
  }

  @ParameterizedTest(name = "spec.paused {0}: no promotion")
  @MethodSource("pausedPromotion")
  void specPausedHoldsThePromotionToo(String what, StatusBuilder given, ObservationBuilder seen) {
    var plan = planPausedBySpec(given.build(), seen);

    assertThat(plan.status().stableRS).isEqualTo(V1);
  }

  /** Plans on the classic spec with spec.paused set: no action, and the phase is Paused. */
  private static Plan planPausedBySpec(RolloutStatus given, ObservationBuilder seen) {
    var spec = classicSpec();
    spec.paused = true;
    var plan = plan(spec, given, seen.build());
    assertThat(plan.actions()).isEmpty();
    assertThat(plan.status().phase).isEqualTo(RolloutPhase.Paused);
    return plan;
  }

  // ---------------------------------------------------------------------------------------------
  // A canary gone missing during a pause

  static Stream<PlannerRow> missingCanary() {
    return Stream.of(
        row("paused at step 2 (10 %), v2's ReplicaSet deleted: made again with its pod")
            .given(releasingV2().atStep(1).weight(10).pausedSince(NOW.minusSeconds(60)))
            .seeing(canaryV2At(10))
            .then(
                asksFor(new CreateRevision(V2, 1, 2))
                    .phase(RolloutPhase.Progressing)
                    .step(1)
                    .weight(10)),
        row("paused at step 4 (30 %, 2m), v2 scaled to 0 by hand: back to its 2 pods")
            .given(releasingV2().atStep(3).weight(30).pausedSince(NOW.minusSeconds(30)))
            .seeing(canaryV2At(30).revisions(revision(V2).replicas(0)))
            .then(
                asksFor(new ScaleRevision(V2, 2, null))
                    .phase(RolloutPhase.Progressing)
                    .step(3)
                    .weight(30)),
        row("its pod asked for again: the pause goes on while it starts")
            .given(releasingV2().atStep(1).weight(10).pausedSince(NOW.minusSeconds(60)))
            .seeing(canaryV2At(10).revisions(revision(V2).replicas(1).available(0)))
            .then(asksForNothing().phase(RolloutPhase.Paused).step(1).weight(10)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("missingCanary")
  void aPauseHoldsTheCanarysPodsAtWhatTheStepAskedFor(PlannerRow row) {
    var plan = row.planAndCheck();

    assertThat(plan.status().pauseConditions)
        .as("still paused at the same step")
        .extracting(p -> p.reason)
        .containsExactly(PAUSE_STEP);
    if (!plan.actions().isEmpty()) {
      assertThat(plan.status().message).startsWith("restoring the canary's pods at ");
      assertThat(plan.requeueAfter()).as("a pause does not count toward the deadline").isEmpty();
    }
  }
}
