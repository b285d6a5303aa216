package dev.weir.rollout.plan;

import static dev.weir.rollout.plan.PlannerFixtures.NOW;
import static dev.weir.rollout.plan.PlannerFixtures.V1;
import static dev.weir.rollout.plan.PlannerFixtures.V2;
import static dev.weir.rollout.plan.PlannerFixtures.basicSpec;
import static dev.weir.rollout.plan.PlannerFixtures.canaryV2At;
import static dev.weir.rollout.plan.PlannerFixtures.classicSpec;
import static dev.weir.rollout.plan.PlannerFixtures.json;
import static dev.weir.rollout.plan.PlannerFixtures.plan;
import static dev.weir.rollout.plan.PlannerFixtures.releasingV2;
import static dev.weir.rollout.plan.PlannerFixtures.revision;
import static dev.weir.rollout.plan.PlannerFixtures.seen;
import static dev.weir.rollout.plan.PlannerFixtures.status;
import static dev.weir.rollout.plan.PlannerFixtures.steadyOnV1;
import static dev.weir.rollout.plan.PlannerFixtures.traffic;
import static dev.weir.rollout.plan.PlannerFixtures.trafficBackOnV1;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import dev.weir.api.v1alpha1.RolloutSpec;
import dev.weir.rollout.plan.PlannerFixtures.ObservationBuilder;
import dev.weir.rollout.plan.PlannerFixtures.StatusBuilder;
import java.time.Instant;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Restarts and idempotence: a settled status, whatever state it settled in (healthy, paused, held,
 * aborted, invalid, stalled, waiting for a scale-down), planned again by a restarted controller or
 * on the next resync, asks for nothing and yields the same status, so a reconcile with nothing to
 * do writes nothing. The spec is examples/canary-istio unless a row says otherwise; v1 is stable,
 * v2 the canary.
 */
class IdempotencePlanTest {

  static Stream<Arguments> settled() {
    Instant soon = NOW.plusSeconds(20);
    var invalid = classicSpec();
    invalid.strategy.canary.steps.get(2).setWeight = 120;
    var userPaused = classicSpec();
    userPaused.paused = true;
    var deadline = classicSpec();
    deadline.progressDeadlineSeconds = 60;
    return Stream.of(
        arguments(
            "healthy on v1",
            classicSpec(),
            status().steadyOn(V1).atStep(6).weight(0),
            steadyOnV1().revisions(revision("v0").replicas(0))),
        arguments(
            "paused at step 1, waiting for promote",
            classicSpec(),
            releasingV2().atStep(1).weight(10).pausedSince(NOW.minusSeconds(60)),
            canaryV2At(10).revisions(revision(V2).replicas(1).available(1))),
        arguments(
            "paused at step 3 with 90s left",
            classicSpec(),
            releasingV2().atStep(3).weight(30).pausedSince(NOW.minusSeconds(30)),
            canaryV2At(30).revisions(revision(V2).replicas(2).available(2))),
        arguments(
            "held by spec.paused at step 2",
            userPaused,
            releasingV2().atStep(2).weight(10),
            canaryV2At(10).revisions(revision(V2).replicas(1).available(1))),
        arguments(
            "aborted, canary gone",
            classicSpec(),
            releasingV2().atStep(2).weight(0).abortedAt(NOW.minusSeconds(600)),
            trafficBackOnV1().revisions(revision(V2).replicas(0))),
        arguments(
            "aborted, canary scale-down due in 20s",
            classicSpec(),
            releasingV2().atStep(2).weight(0).abortedAt(NOW.minusSeconds(10)),
            trafficBackOnV1().revisions(revision(V2).replicas(1).available(1).scaleDownAt(soon))),
        arguments(
            "invalid spec",
            invalid,
            releasingV2().atStep(2).weight(10),
            canaryV2At(10).revisions(revision(V2).replicas(1).available(1))),
        arguments(
            "stalled past the progress deadline",
            deadline,
            releasingV2().atStep(2).weight(10).progressedAt(NOW.minusSeconds(3600)),
            canaryV2At(10).revisions(revision(V2).replicas(2).available(0))),
        arguments(
            "promoted, old stable due to go in 20s",
            classicSpec(),
            status().steadyOn(V2).atStep(6).weight(0),
            seen()
                .declared(V2)
                .traffic(traffic().canaryWeight(0).stableSelects(V2).canarySelects(V2))
                .revisions(
                    revision(V1).replicas(5).available(5).scaleDownAt(soon),
                    revision(V2).replicas(5).available(5))),
        arguments(
            "basic canary paused at 50 %",
            basicSpec(4, "1", "0", 50),
            releasingV2().atStep(1).weight(50).pausedSince(NOW.minusSeconds(60)),
            seen()
                .declared(V2)
                .withoutRouter()
                .revisions(
                    revision(V1).replicas(2).available(2), revision(V2).replicas(2).available(2))));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("settled")
  void aSettledStatusYieldsNoActionAndTheSameStatus(
      String what, RolloutSpec spec, StatusBuilder given, ObservationBuilder observed) {
    var seen = observed.build();
    var own = plan(spec, given.podsCountedFrom(seen).build(), seen);

    var again = plan(spec, own.status(), seen);
    var third = plan(spec, again.status(), seen);

    assertThat(own.actions()).as("nothing to do").isEmpty();
    assertThat(again.actions()).isEmpty();
    assertThat(again.events()).isEmpty();
    assertThat(json(again.status())).isEqualTo(json(own.status()));
    assertThat(json(third.status())).isEqualTo(json(own.status()));
    assertThat(again.requeueAfter()).isEqualTo(own.requeueAfter());
  }
}
