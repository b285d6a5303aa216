package dev.weir.rollout.plan;

import static dev.weir.rollout.plan.PlannerFixtures.GENERATION;
import static dev.weir.rollout.plan.PlannerFixtures.plan;
import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.api.v1alpha1.RolloutPhase;
import dev.weir.api.v1alpha1.RolloutStatus;
import dev.weir.rollout.plan.PlannerFixtures.ObservationBuilder;
import dev.weir.rollout.plan.PlannerFixtures.StatusBuilder;
import java.util.List;
import java.util.Objects;

/**
 * A row of a planner table, read as a sentence: {@code row("canary pod available: the weight is
 * written").given(status()...).seeing(seen()...).then(asksFor(new SetWeight(10)).phase(...)...)}.
 * Its name is what the test report shows.
 */
final class PlannerRow {

  private final String what;
  private RolloutStatus given;
  private Observation seen;
  private Expected expected;

  private PlannerRow(String what) {
    this.what = what;
  }

  static PlannerRow row(String what) {
    return new PlannerRow(what);
  }

  /** The status the planner is given. */
  PlannerRow given(StatusBuilder status) {
    this.given = status.build();
    return this;
  }

  /** What the cluster shows. */
  PlannerRow seeing(ObservationBuilder observation) {
    this.seen = observation.build();
    return this;
  }

  PlannerRow then(Expected expected) {
    this.expected = expected;
    return this;
  }

  RolloutStatus given() {
    return given;
  }

  Observation seen() {
    return seen;
  }

  /** Plans the row on the classic spec and checks what every row checks. */
  Plan planAndCheck() {
    var plan = plan(given, seen);
    expect(plan, expected);
    return plan;
  }

  @Override
  public String toString() {
    return what;
  }

  /** A plan that asks for these actions, in this order. */
  static Expected asksFor(Action... actions) {
    return new Expected(List.of(actions));
  }

  static Expected asksForNothing() {
    return asksFor();
  }

  /**
   * Checks a plan: its actions, the phase, step and weight (when given) of its status, the reasons
   * of its events (none unless given), and that the status observed the rollout's generation.
   */
  static void expect(Plan plan, Expected expected) {
    Objects.requireNonNull(expected.phase, "a row expects a phase");
    Objects.requireNonNull(expected.step, "a row expects a step");
    assertThat(plan.actions()).as("actions").containsExactlyElementsOf(expected.actions);
    assertThat(plan.status().phase)
        .as("phase (%s)", plan.status().message)
        .isEqualTo(expected.phase);
    assertThat(plan.status().currentStepIndex).as("step").isEqualTo(expected.step);
    if (expected.weight != null) {
      assertThat(plan.status().currentWeight).as("weight").isEqualTo(expected.weight);
    }
    assertThat(plan.events())
        .extracting(e -> e.reason().name())
        .as("events")
        .containsExactlyElementsOf(expected.events);
    assertThat(plan.status().observedGeneration).isEqualTo(GENERATION);
  }

  /** What a plan must show. */
  static final class Expected {
    private final List<Action> actions;
    private RolloutPhase phase;
    private Integer step;
    private Integer weight;
    private List<String> events = List.of();

    private Expected(List<Action> actions) {
      this.actions = actions;
    }

    Expected phase(RolloutPhase phase) {
      this.phase = phase;
      return this;
    }

    /** The step index of the next status. */
    Expected step(int step) {
      this.step = step;
      return this;
    }

    /** The canary weight of the next status; not checked unless given. */
    Expected weight(int weight) {
      this.weight = weight;
      return this;
    }

    /** The reasons of the events, in order. */
    Expected events(String... reasons) {
      this.events = List.of(reasons);
      return this;
    }
  }
}
