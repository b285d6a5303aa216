package dev.weir.rollout.plan;

import static dev.weir.rollout.plan.PlannerFixtures.GENERATION;
import static dev.weir.rollout.plan.PlannerFixtures.NOW;
import static dev.weir.rollout.plan.PlannerFixtures.V1;
import static dev.weir.rollout.plan.PlannerFixtures.classicSpec;
import static dev.weir.rollout.plan.PlannerFixtures.plan;
import static dev.weir.rollout.plan.PlannerFixtures.revision;
import static dev.weir.rollout.plan.PlannerFixtures.seen;
import static dev.weir.rollout.plan.PlannerFixtures.status;
import static dev.weir.rollout.plan.PlannerFixtures.statusOf;
import static dev.weir.rollout.plan.PlannerFixtures.traffic;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Named.named;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import dev.weir.api.v1alpha1.RolloutPhase;
import dev.weir.rollout.plan.Action.CreateRevision;
import dev.weir.rollout.plan.Action.DeleteRevision;
import dev.weir.rollout.plan.Action.Pin;
import dev.weir.rollout.plan.Action.SetWeight;
import dev.weir.rollout.plan.PlannerFixtures.RevisionBuilder;
import dev.weir.traffic.Side;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The steady state: the first revision is stable at once, without any step, and a settled rollout
 * prunes the revisions beyond revisionHistoryLimit that have no pods left. The spec is
 * examples/canary-istio unless a test says otherwise.
 */
class SteadyStatePlanTest {

  @Test
  void theFirstRevisionIsStableAtOnce() {
    var fresh = seen().declared(V1).traffic(traffic().canaryWeight(0)).build();

    var plan = plan(null, fresh);

    assertThat(plan.status().stableRS).isEqualTo(V1);
    assertThat(plan.status().currentPodHash).isEqualTo(V1);
    assertThat(plan.status().currentStepIndex).as("no step to go through").isEqualTo(6);
    assertThat(plan.status().observedGeneration).isEqualTo(GENERATION);
    assertThat(plan.actions())
        .containsExactly(new CreateRevision(V1, 5, 1), new Pin(Side.STABLE, V1));
    assertThat(plan.actions()).noneMatch(SetWeight.class::isInstance);
    assertThat(plan.events()).isEmpty();
  }

  @Test
  void theFirstRevisionSettlesHealthyWithoutAnyStep() {
    var cluster = SimulatedCluster.stableOn(classicSpec(), V1);

    assertThat(cluster.status.phase).isEqualTo(RolloutPhase.Healthy);
    assertThat(cluster.status.stableRS).isEqualTo(V1);
    assertThat(cluster.status.currentWeight).isZero();
    assertThat(statusOf(cluster.status, StatusConditions.COMPLETED)).isEqualTo("True");
    assertThat(statusOf(cluster.status, StatusConditions.READY)).isEqualTo("True");
    assertThat(cluster.actions())
        .containsExactly(
            new CreateRevision(V1, 5, 1), new Pin(Side.STABLE, V1), new Pin(Side.CANARY, V1));
    assertThat(cluster.events).isEmpty();
    assertThat(cluster.violations).isEmpty();
  }

  static Stream<Arguments> history() {
    return Stream.of(
        limit(3).withOldRevisions(4).deletes("r1"),
        limit(3).withOldRevisions(3).deletesNone(),
        limit(1).withOldRevisions(4).deletes("r1", "r2", "r3"),
        limit(0).withOldRevisions(2).deletes("r1", "r2"),
        limitUnset().withOldRevisions(12).deletes("r1", "r2"),
        limitUnset().withOldRevisions(10).deletesNone());
  }

  private static History limit(int revisionHistoryLimit) {
    return new History(revisionHistoryLimit, 0);
  }

  private static History limitUnset() {
    return new History(null, 0);
  }

  /** A row of {@link #history}: revisionHistoryLimit, old revisions at 0, those deleted. */
  private record History(Integer limit, int old) {

    History withOldRevisions(int old) {
      return new History(limit, old);
    }

    Arguments deletesNone() {
      return deletes();
    }

    Arguments deletes(String... deleted) {
      String name =
          "%s, %d old revisions at 0: %s"
              .formatted(
                  limit == null ? "revisionHistoryLimit unset" : "revisionHistoryLimit " + limit,
                  old,
                  deleted.length == 0 ? "none deleted" : String.join(", ", deleted) + " deleted");
      return arguments(named(name, limit), old, List.of(deleted));
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("history")
  void revisionHistoryLimitPrunesTheOldestRevisionsAtZero(
      Integer limit, int old, List<String> deleted) {
    var spec = classicSpec();
    spec.revisionHistoryLimit = limit;
    var revisions = new ArrayList<RevisionBuilder>();
    IntStream.rangeClosed(1, old).forEach(i -> revisions.add(revision("r" + i).replicas(0)));
    // Older still, but with pods: a revision scaling down, one whose pods are still terminating.
    revisions.add(revision("busy").replicas(2).available(2).scaleDownAt(NOW.plusSeconds(10)));
    revisions.add(revision("ending").replicas(0).terminating(1));
    revisions.add(revision(V1).replicas(5).available(5).number(100));

    var plan =
        plan(
            spec,
            status().steadyOn(V1).atStep(6).weight(0),
            seen()
                .declared(V1)
                .traffic(traffic().canaryWeight(0).stableSelects(V1).canarySelects(V1))
                .revisions(revisions.toArray(RevisionBuilder[]::new)));

    var expected = deleted.stream().<Action>map(DeleteRevision::new).toList();
    assertThat(plan.actions()).containsExactlyInAnyOrderElementsOf(expected);
    assertThat(plan.status().phase).isEqualTo(RolloutPhase.Healthy);
  }
}
