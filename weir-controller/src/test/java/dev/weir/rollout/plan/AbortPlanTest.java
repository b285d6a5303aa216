package dev.weir.rollout.plan;

import static dev.weir.rollout.plan.PlannerFixtures.NOW;
import static dev.weir.rollout.plan.PlannerFixtures.V1;
import static dev.weir.rollout.plan.PlannerFixtures.V2;
import static dev.weir.rollout.plan.PlannerFixtures.canaryV2At;
import static dev.weir.rollout.plan.PlannerFixtures.plan;
import static dev.weir.rollout.plan.PlannerFixtures.releasingV2;
import static dev.weir.rollout.plan.PlannerFixtures.revision;
import static dev.weir.rollout.plan.PlannerFixtures.seen;
import static dev.weir.rollout.plan.PlannerFixtures.status;
import static dev.weir.rollout.plan.PlannerFixtures.statusOf;
import static dev.weir.rollout.plan.PlannerFixtures.trafficBackOnV1;
import static dev.weir.rollout.plan.PlannerRow.asksFor;
import static dev.weir.rollout.plan.PlannerRow.asksForNothing;
import static dev.weir.rollout.plan.PlannerRow.expect;
import static dev.weir.rollout.plan.PlannerRow.row;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import dev.weir.api.v1alpha1.PromoteRequest;
import dev.weir.api.v1alpha1.RolloutPhase;
import dev.weir.rollout.plan.Action.Pin;
import dev.weir.rollout.plan.Action.ScaleRevision;
import dev.weir.rollout.plan.Action.SetWeight;
import dev.weir.rollout.plan.PlannerFixtures.ObservationBuilder;
import dev.weir.traffic.Side;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Abort and retry. An abort is traffic first: the weight goes to 0 and is read back, the canary
 * side is pointed at stable, and only after abortScaleDownDelaySeconds does the canary scale down;
 * it is announced once, with a message that stays the same. A retry ({@code kubectl weir retry}
 * clears the abort flag) starts again at step 0. The spec is examples/canary-istio (5 replicas;
 * steps 10 %, pause, 30 %, pause 2m, 60 %, pause 2m); v1 is stable, v2 the canary.
 */
class AbortPlanTest {

  static Stream<PlannerRow> abort() {
    Instant at = NOW.plusSeconds(30);
    return Stream.of(
        row("abort at 10 %: traffic back to stable first, the canary keeps its pod")
            .given(releasingV2().atStep(2).weight(10).abortRequested())
            .seeing(canaryV2At(10).revisions(revision(V2).replicas(1).available(1)))
            .then(asksFor(new SetWeight(0)).phase(RolloutPhase.Degraded).step(2).events("Aborted")),
        row("abort at 60 %: the same, with three canary pods kept")
            .given(releasingV2().atStep(5).weight(60).abortRequested())
            .seeing(canaryV2At(60).revisions(revision(V2).replicas(3).available(3)))
            .then(asksFor(new SetWeight(0)).phase(RolloutPhase.Degraded).step(5).events("Aborted")),
        row("weight 0 read back: the canary side is pointed at stable")
            .given(releasingV2().atStep(2).weight(10).abortedAt(NOW.minusSeconds(1)))
            .seeing(canaryV2At(0).revisions(revision(V2).replicas(1).available(1)))
            .then(asksFor(new Pin(Side.CANARY, V1)).phase(RolloutPhase.Degraded).step(2).weight(0)),
        row("nothing selects the canary: its scale-down is scheduled after 30s")
            .given(releasingV2().atStep(2).weight(0).abortedAt(NOW.minusSeconds(1)))
            .seeing(trafficBackOnV1().revisions(revision(V2).replicas(1).available(1)))
            .then(
                asksFor(new ScaleRevision(V2, 1, at))
                    .phase(RolloutPhase.Degraded)
                    .step(2)
                    .weight(0)),
        row("30s later: the canary scales to 0")
            .given(releasingV2().atStep(2).weight(0).abortedAt(NOW.minusSeconds(31)))
            .seeing(
                trafficBackOnV1()
                    .at(at)
                    .revisions(revision(V2).replicas(1).available(1).scaleDownAt(at)))
            .then(
                asksFor(new ScaleRevision(V2, 0, null))
                    .phase(RolloutPhase.Degraded)
                    .step(2)
                    .weight(0)),
        row("a request to promote while aborted is dropped")
            .given(
                releasingV2()
                    .atStep(2)
                    .weight(0)
                    .abortedAt(NOW.minusSeconds(1))
                    .promote(PromoteRequest.Full))
            .seeing(trafficBackOnV1().revisions(revision(V2).replicas(0)))
            .then(asksForNothing().phase(RolloutPhase.Degraded).step(2).weight(0)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("abort")
  void anAbortMovesTrafficBeforeTheCanaryGoes(PlannerRow row) {
    var plan = row.planAndCheck();
    var status = plan.status();
    assertThat(status.abort).isTrue();
    assertThat(status.abortedAt)
        .isEqualTo(row.given().abortedAt == null ? NOW.toString() : row.given().abortedAt);
    assertThat(status.promote).isNull();
    assertThat(status.message).startsWith("rollout aborted: revision v2 rolled back to v1");
    assertThat(statusOf(status, StatusConditions.ABORTED)).isEqualTo("True");
    assertThat(statusOf(status, StatusConditions.STALLED)).isEqualTo("True");
    assertThat(statusOf(status, StatusConditions.READY)).isEqualTo("False");
    if (!Integer.valueOf(0).equals(row.seen().traffic().canaryWeight())) {
      assertThat(plan.actions())
          .as("nothing scales down before the weight 0 is read back")
          .noneMatch(ScaleRevision.class::isInstance);
    }
  }

  /** An abort at step 2 (10 %) just asked for, the canary's pod still up. */
  private static Plan abortAt10Percent() {
    return plan(releasingV2().atStep(2).weight(10).abortRequested(), at10Percent());
  }

  private static ObservationBuilder at10Percent() {
    return canaryV2At(10).revisions(revision(V2).replicas(1).available(1));
  }

  @Test
  void anAbortSaysItOnceAndItsMessageDoesNotGrowWhileTheWeightIsPending() {
    var first = abortAt10Percent();

    var second = plan(first.status(), at10Percent().build());

    assertThat(first.events()).extracting(e -> e.reason().name()).containsExactly("Aborted");
    assertThat(second.events()).as("the abort is announced once").isEmpty();
    assertThat(second.actions()).containsExactly(new SetWeight(0));
  }

  @Test
  void anAbortMessageStaysTheSameFromPassToPass() {
    var first = abortAt10Percent();
    var second = plan(first.status(), at10Percent().build());
    var settled =
        plan(second.status(), trafficBackOnV1().revisions(revision(V2).replicas(0)).build());

    assertThat(second.status().message).isEqualTo(first.status().message);
    assertThat(settled.status().message)
        .as("once traffic is on stable, the message no longer says it is moving")
        .startsWith("rollout aborted: revision v2 rolled back to v1")
        .doesNotContain("moving");
  }

  @Test
  void anAbortSaysWeightZeroAsSoonAsWeirAsksForIt() {
    var plan =
        plan(
            releasingV2().atStep(3).weight(30).abortRequested(),
            canaryV2At(30).revisions(revision(V2).replicas(2).available(2)));

    assertThat(plan.actions()).containsExactly(new SetWeight(0));
    assertThat(plan.status().currentWeight).as("what Weir wants").isZero();
    assertThat(plan.status().verifiedWeight).as("what the router reads").isEqualTo(30);
  }

  // ---------------------------------------------------------------------------------------------
  // Retry

  static Stream<Arguments> retry() {
    return Stream.of(
        arguments("abort cleared (null)", null, true),
        arguments("abort set to false", false, true),
        arguments("abort still true: no retry", true, false));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("retry")
  void aRetryRestartsAtStepZero(String what, Boolean abort, boolean retried) {
    var given =
        releasingV2()
            .atStep(3)
            .weight(0)
            .abortedAt(NOW.minusSeconds(300))
            .abort(abort)
            .message("rollout aborted: revision v2 rolled back to v1");
    var seen = trafficBackOnV1().revisions(revision(V2).replicas(0));

    var plan = plan(given, seen);

    if (retried) {
      expect(
          plan,
          asksFor(new Pin(Side.CANARY, V2))
              .phase(RolloutPhase.Progressing)
              .step(0)
              .weight(0)
              .events("Retried"));
      assertThat(plan.status().abortedAt).isNull();
      assertThat(statusOf(plan.status(), StatusConditions.ABORTED)).isEqualTo("False");
    } else {
      expect(plan, asksForNothing().phase(RolloutPhase.Degraded).step(3).weight(0));
      assertThat(statusOf(plan.status(), StatusConditions.ABORTED)).isEqualTo("True");
    }
  }

  @Test
  void afterARetryTheCanaryComesBackForStepZero() {
    var plan =
        plan(releasingV2().atStep(0).weight(0), canaryV2At(0).revisions(revision(V2).replicas(0)));

    expect(
        plan,
        asksFor(new ScaleRevision(V2, 1, null)).phase(RolloutPhase.Progressing).step(0).weight(0));
  }

  @Test
  void givenV2At30PercentWhenAbortedThenRetriedItStartsOverAtStepZero() {
    var cluster = SimulatedCluster.v2At30Percent();

    cluster.advance(Duration.ofSeconds(10));
    Instant abortedAt = cluster.now;
    cluster.abort().reconcile();
    assertThat(cluster.weight).isZero();
    assertThat(cluster.pins).containsEntry(Side.CANARY, Set.of(V1));
    assertThat(cluster.replicas(V2)).as("kept for abortScaleDownDelaySeconds").isEqualTo(2);
    assertThat(cluster.status.phase).isEqualTo(RolloutPhase.Degraded);

    cluster.advance(Duration.ofSeconds(30));
    cluster.reconcile();
    assertThat(cluster.replicas(V2)).isZero();
    assertThat(cluster.log)
        .filteredOn(l -> l.action().equals(new ScaleRevision(V2, 0, null)))
        .singleElement()
        .satisfies(l -> assertThat(l.at()).isEqualTo(abortedAt.plusSeconds(30)));

    cluster.retry().reconcile();
    assertThat(cluster.status.currentStepIndex).isEqualTo(1);
    assertThat(cluster.status.phase).isEqualTo(RolloutPhase.Paused);
    assertThat(cluster.weight).isEqualTo(10);
    assertThat(cluster.replicas(V2)).isEqualTo(1);
    assertThat(cluster.replicas(V1)).isEqualTo(5);
    assertThat(cluster.events)
        .extracting(e -> e.reason().name())
        .containsSubsequence("Aborted", "Retried", "WeightSet");
    assertThat(cluster.violations).isEmpty();
  }
}
