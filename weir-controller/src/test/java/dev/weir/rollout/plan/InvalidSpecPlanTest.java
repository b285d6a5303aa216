package dev.weir.rollout.plan;

import static dev.weir.rollout.plan.PlannerFixtures.GENERATION;
import static dev.weir.rollout.plan.PlannerFixtures.V1;
import static dev.weir.rollout.plan.PlannerFixtures.V2;
import static dev.weir.rollout.plan.PlannerFixtures.canaryV2At;
import static dev.weir.rollout.plan.PlannerFixtures.classicSpec;
import static dev.weir.rollout.plan.PlannerFixtures.json;
import static dev.weir.rollout.plan.PlannerFixtures.plan;
import static dev.weir.rollout.plan.PlannerFixtures.releasingV2;
import static dev.weir.rollout.plan.PlannerFixtures.revision;
import static dev.weir.rollout.plan.PlannerFixtures.seen;
import static dev.weir.rollout.plan.PlannerFixtures.status;
import static dev.weir.rollout.plan.PlannerFixtures.statusOf;
import static dev.weir.rollout.plan.PlannerFixtures.steadyOnV1;
import static dev.weir.rollout.plan.PlannerFixtures.traffic;
import static dev.weir.rollout.plan.PlannerFixtures.trafficBackOnV1;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import dev.weir.api.v1alpha1.PromoteRequest;
import dev.weir.api.v1alpha1.RolloutPhase;
import dev.weir.api.v1alpha1.RolloutSpec;
import dev.weir.api.v1alpha1.SpecProblem;
import dev.weir.rollout.plan.Action.ScaleRevision;
import dev.weir.rollout.plan.Action.SetWeight;
import dev.weir.rollout.plan.PlannerFixtures.StatusBuilder;
import io.fabric8.kubernetes.api.model.IntOrString;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Bad specs fail loudly and touch nothing: a weight out of range, an unparsable duration, a missing
 * route, VirtualService or Service, a negative revisionHistoryLimit are an InvalidSpec that names
 * the field, reported once, with traffic and replicas left as they were, until the spec is fixed.
 * So is a status Weir cannot have written (a hand edit): a step or a weight out of range, a stable
 * revision without a ReplicaSet, a time that is not one; an abort and a retry, or a full promote,
 * start the release over. The spec is examples/canary-istio with the fault of each test; v1 is
 * stable, v2 the canary.
 */
class InvalidSpecPlanTest {

  static Stream<Arguments> invalid() {
    String vs = "spec.strategy.canary.trafficRouting.istio.virtualService";
    return Stream.of(
        arguments(
            "setWeight 120",
            (Consumer<RolloutSpec>) s -> s.strategy.canary.steps.get(2).setWeight = 120,
            List.of(),
            "spec.strategy.canary.steps[2].setWeight: 120 is out of range 0..100"),
        arguments(
            "a pause of \"2 minutes\"",
            (Consumer<RolloutSpec>)
                s -> s.strategy.canary.steps.get(3).pause.duration = new IntOrString("2 minutes"),
            List.of(),
            "spec.strategy.canary.steps[3].pause.duration"),
        arguments(
            "a VirtualService route that does not exist",
            (Consumer<RolloutSpec>) s -> {},
            List.of(
                new SpecProblem(
                    vs + ".routes[0]",
                    "route 'primary' not found in VirtualService shop/checkout")),
            vs + ".routes[0]: route 'primary' not found"),
        arguments(
            "a VirtualService that does not exist, and a Service",
            (Consumer<RolloutSpec>) s -> {},
            List.of(
                new SpecProblem(vs + ".name", "VirtualService shop/checkout not found"),
                new SpecProblem(
                    "spec.strategy.canary.canaryService",
                    "Service shop/checkout-canary not found")),
            vs
                + ".name: VirtualService shop/checkout not found;"
                + " spec.strategy.canary.canaryService: Service shop/checkout-canary not found"));
  }

  @ParameterizedTest(name = "{0}: InvalidSpec, no action")
  @MethodSource("invalid")
  void anInvalidSpecTouchesNothing(
      String what, Consumer<RolloutSpec> change, List<SpecProblem> problems, String message) {
    var spec = classicSpec();
    change.accept(spec);
    var given = releasingV2().atStep(2).weight(10).abortRequested().promote(PromoteRequest.Full);
    // Everything here would otherwise ask for a move: a weight to restore, an abort to carry out.
    var seen =
        seen()
            .declared(V2)
            .traffic(
                traffic().canaryWeight(30).stableSelects(V1).canarySelects(V2).problems(problems))
            .revisions(revision(V1).replicas(5).available(5), revision(V2).replicas(1).available(1))
            .build();

    var plan = plan(spec, given.build(), seen);

    assertThat(plan.actions()).isEmpty();
    var status = plan.status();
    assertThat(status.phase).isEqualTo(RolloutPhase.Degraded);
    assertThat(status.message).contains(message);
    assertThat(statusOf(status, StatusConditions.INVALID_SPEC)).isEqualTo("True");
    assertThat(status.conditions)
        .filteredOn(c -> c.getType().equals(StatusConditions.INVALID_SPEC))
        .singleElement()
        .satisfies(c -> assertThat(c.getMessage()).contains(message));
    assertThat(statusOf(status, StatusConditions.STALLED)).isEqualTo("True");
    assertThat(plan.events())
        .singleElement()
        .satisfies(e -> assertThat(e.reason()).isEqualTo(EventReason.InvalidSpec))
        .satisfies(e -> assertThat(e.reason().warning()).isTrue());
    assertThat(status.currentStepIndex).isEqualTo(2);
    assertThat(status.currentWeight).isEqualTo(10);
    assertThat(status.stableRS).isEqualTo(V1);
    assertThat(status.abortedAt).as("the abort waits for a valid spec").isNull();
    assertThat(plan.requeueAfter()).isEmpty();

    var again = plan(spec, status, seen);
    assertThat(again.actions()).isEmpty();
    assertThat(again.events()).as("reported once").isEmpty();
    assertThat(json(again.status())).isEqualTo(json(status));
  }

  @Test
  void aFixedSpecClearsInvalidSpec() {
    var broken = classicSpec();
    broken.strategy.canary.steps.get(2).setWeight = 120;
    var seen = canaryV2At(10).revisions(revision(V2).replicas(1).available(1)).build();
    var invalid = plan(broken, releasingV2().atStep(2).weight(10).build(), seen).status();

    var plan = new ReleasePlanner().plan(classicSpec(), GENERATION + 1, invalid, seen);

    assertThat(plan.actions()).containsExactly(new ScaleRevision(V2, 2, null));
    assertThat(plan.status().phase).isEqualTo(RolloutPhase.Progressing);
    assertThat(plan.events()).isEmpty();
    assertThat(statusOf(plan.status(), StatusConditions.INVALID_SPEC)).isEqualTo("False");
    assertThat(plan.status().observedGeneration).isEqualTo(GENERATION + 1);
  }

  @Test
  void aNegativeRevisionHistoryLimitIsAnInvalidSpec() {
    var spec = classicSpec();
    spec.revisionHistoryLimit = -1;

    var plan =
        plan(
            spec,
            status().steadyOn(V1).atStep(6).weight(0),
            steadyOnV1().revisions(revision("r1").replicas(0).number(0)));

    assertThat(plan.actions()).isEmpty();
    assertThat(plan.status().message).contains("spec.revisionHistoryLimit");
    assertThat(statusOf(plan.status(), StatusConditions.INVALID_SPEC)).isEqualTo("True");
  }

  // ---------------------------------------------------------------------------------------------
  // A status Weir cannot have written

  static Stream<Arguments> handEditedStatus() {
    return Stream.of(
        arguments(
            "currentStepIndex -1",
            releasingV2().atStep(-1).weight(10),
            "status.currentStepIndex: -1 is out of range 0..6 (the steps of spec.strategy.canary)"),
        arguments(
            "currentStepIndex 7, past the last step",
            releasingV2().atStep(7).weight(10),
            "status.currentStepIndex: 7 is out of range 0..6"),
        arguments(
            "currentStepIndex 99",
            releasingV2().atStep(99).weight(10),
            "status.currentStepIndex: 99 is out of range 0..6"),
        arguments(
            "stableRS naming no revision",
            status().stable("zzz").canary(V2).atStep(2).weight(10),
            "status.stableRS: revision zzz has no ReplicaSet, and Weir makes one only from the"
                + " declared template"),
        arguments(
            "currentWeight 150",
            releasingV2().atStep(2).weight(150),
            "status.currentWeight: 150 is out of range 0..100"),
        arguments(
            "progressedAt that is not a time",
            releasingV2().atStep(2).weight(10).message("yesterday"),
            "status.progressedAt: 'yesterday' is not a time"));
  }

  @ParameterizedTest(name = "{0}: reported by field, nothing moves")
  @MethodSource("handEditedStatus")
  void aHandEditedStatusIsReportedAndChangesNothing(
      String what, StatusBuilder status, String message) {
    var given = status.build();
    if ("yesterday".equals(given.message)) {
      given.progressedAt = "yesterday";
    }
    var seen = canaryV2At(10).revisions(revision(V2).replicas(1).available(1)).build();

    var plan = plan(classicSpec(), given, seen);

    assertThat(plan.actions()).isEmpty();
    assertThat(plan.status().phase).isEqualTo(RolloutPhase.Degraded);
    assertThat(plan.status().message).contains(message);
    assertThat(statusOf(plan.status(), StatusConditions.INVALID_SPEC)).isEqualTo("True");
    assertThat(plan.events()).extracting(e -> e.reason().name()).containsExactly("InvalidSpec");
    assertThat(plan.status().currentStepIndex).isEqualTo(given.currentStepIndex);
    var again = plan(classicSpec(), plan.status(), seen);
    assertThat(again.actions()).isEmpty();
    assertThat(again.events()).as("reported once").isEmpty();
  }

  @Test
  void anAbortThenARetryStartAReleaseWithAStepOutOfRangeOver() {
    var seen = canaryV2At(10).revisions(revision(V2).replicas(1).available(1)).build();
    var aborted =
        plan(classicSpec(), releasingV2().atStep(-1).weight(10).abortRequested().build(), seen);
    assertThat(aborted.actions()).containsExactly(new SetWeight(0));

    var retried = aborted.status();
    retried.abort = false;
    var plan =
        plan(
            classicSpec(),
            retried,
            trafficBackOnV1().revisions(revision(V2).replicas(1).available(1)).build());

    assertThat(plan.status().currentStepIndex).isZero();
    assertThat(plan.events()).extracting(e -> e.reason().name()).contains("Retried");
    assertThat(statusOf(plan.status(), StatusConditions.INVALID_SPEC)).isEqualTo("False");
  }

  @Test
  void aFullPromoteEndsAReleaseWithAStepOutOfRange() {
    var plan =
        plan(
            releasingV2().atStep(99).weight(10).promote(PromoteRequest.Full),
            canaryV2At(10).revisions(revision(V2).replicas(1).available(1)));

    assertThat(plan.actions()).containsExactly(new ScaleRevision(V2, 5, null));
    assertThat(plan.status().currentStepIndex).isEqualTo(6);
    assertThat(plan.events()).extracting(e -> e.reason().name()).containsExactly("PromotedFull");
  }
}
