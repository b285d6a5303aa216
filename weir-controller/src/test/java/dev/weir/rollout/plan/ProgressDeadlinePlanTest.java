package dev.weir.rollout.plan;

import static dev.weir.rollout.plan.PlannerFixtures.NOW;
import static dev.weir.rollout.plan.PlannerFixtures.V1;
import static dev.weir.rollout.plan.PlannerFixtures.V2;
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
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Named.named;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import dev.weir.api.v1alpha1.RolloutPhase;
import dev.weir.api.v1alpha1.RolloutSpec;
import dev.weir.rollout.plan.Action.SetWeight;
import java.time.Duration;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The progress deadline: a release that makes no progress for progressDeadlineSeconds (600 unless
 * set) is Stalled and Degraded, and aborted when progressDeadlineAbort says so, while waiting for
 * canary pods or while promoting; time spent in a pause does not count. The spec is
 * examples/canary-istio (5 replicas; steps 10 %, pause, 30 %, pause 2m, 60 %, pause 2m); v1 is
 * stable, v2 the canary.
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
      assertThat(plan.events()).isEmpty();
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
}
