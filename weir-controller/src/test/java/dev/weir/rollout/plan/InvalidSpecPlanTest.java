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
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import dev.weir.api.v1alpha1.PromoteRequest;
import dev.weir.api.v1alpha1.RolloutPhase;
import dev.weir.api.v1alpha1.RolloutSpec;
import dev.weir.api.v1alpha1.SpecProblem;
import dev.weir.rollout.plan.Action.ScaleRevision;
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
 * The spec is examples/canary-istio with the fault of each test; v1 is stable, v2 the canary.
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
}
