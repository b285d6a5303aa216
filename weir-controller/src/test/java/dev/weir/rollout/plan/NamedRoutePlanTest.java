package dev.weir.rollout.plan;

import static dev.weir.rollout.plan.PlannerFixtures.V1;
import static dev.weir.rollout.plan.PlannerFixtures.V2;
import static dev.weir.rollout.plan.PlannerFixtures.V3;
import static dev.weir.rollout.plan.PlannerFixtures.classicSpec;
import static dev.weir.rollout.plan.PlannerFixtures.pauseStep;
import static dev.weir.rollout.plan.PlannerFixtures.steps;
import static dev.weir.rollout.plan.PlannerFixtures.weightStep;
import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.api.v1alpha1.CanaryStep;
import dev.weir.api.v1alpha1.HeaderRouteMatch;
import dev.weir.api.v1alpha1.MirrorRouteMatch;
import dev.weir.api.v1alpha1.RolloutPhase;
import dev.weir.api.v1alpha1.RolloutSpec;
import dev.weir.api.v1alpha1.SetHeaderRoute;
import dev.weir.api.v1alpha1.SetMirrorRoute;
import dev.weir.api.v1alpha1.StringMatch;
import dev.weir.rollout.plan.Action.CreateRevision;
import dev.weir.rollout.plan.Action.Pin;
import dev.weir.rollout.plan.Action.ScaleRevision;
import dev.weir.rollout.plan.Action.SetNamedRoutes;
import dev.weir.rollout.plan.Action.SetWeight;
import dev.weir.traffic.NamedRoute;
import dev.weir.traffic.NamedRoute.RequestMatch;
import dev.weir.traffic.NamedRoute.ValueMatch;
import dev.weir.traffic.NamedRouteExamples;
import dev.weir.traffic.Side;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The routes Weir names (setHeaderRoute, setMirrorRoute) as part of the traffic the planner holds:
 * a route step counts once its route reads back, the routes of the steps done are put back after a
 * restart or someone else's change, and every one is gone at promotion, abort and supersede before
 * any pod of the canary goes. The spec is examples/canary-istio (5 replicas) with these steps:
 * header route beta (x-canary: yes), pause, mirror route shadow (25 % of GET /api), setWeight 10,
 * pause.
 */
class NamedRoutePlanTest {

  static final NamedRoute BETA =
      new NamedRoute(
          "beta",
          List.of(
              new RequestMatch(
                  null, null, Map.of("x-canary", new ValueMatch(ValueMatch.Kind.EXACT, "yes")))),
          null);

  /** A quarter of the GETs under /api copied to the canary, as the mirror step asks. */
  static final NamedRoute SHADOW = NamedRouteExamples.SHADOW;

  static CanaryStep headerRoute(String name, String header, String exact) {
    var step = new CanaryStep();
    step.setHeaderRoute = new SetHeaderRoute();
    step.setHeaderRoute.name = name;
    if (header != null) {
      var match = new HeaderRouteMatch();
      match.headerName = header;
      match.headerValue = StringMatch.exact(exact);
      step.setHeaderRoute.match = List.of(match);
    }
    return step;
  }

  static CanaryStep mirrorRoute(String name, Integer percentage) {
    var step = new CanaryStep();
    step.setMirrorRoute = new SetMirrorRoute();
    step.setMirrorRoute.name = name;
    step.setMirrorRoute.percentage = percentage;
    if (percentage != null) {
      var match = new MirrorRouteMatch();
      match.method = StringMatch.exact("GET");
      match.path = StringMatch.prefix("/api");
      step.setMirrorRoute.match = List.of(match);
    }
    return step;
  }

  static RolloutSpec spec() {
    var spec = classicSpec();
    spec.strategy.canary.steps =
        steps(
            headerRoute("beta", "X-Canary", "yes"),
            pauseStep(),
            mirrorRoute("shadow", 25),
            weightStep(10),
            pauseStep());
    return spec;
  }

  /** v2 released from a settled v1 up to its first pause, the log and events cleared. */
  static SimulatedCluster v2AtItsHeaderRoute() {
    var cluster = SimulatedCluster.stableOn(spec(), V1).declare(V2).reconcile();
    cluster.log.clear();
    cluster.events.clear();
    return cluster;
  }

  @Test
  void aHeaderRouteStepCountsOnceItsRouteReadsBack() {
    var cluster = SimulatedCluster.stableOn(spec(), V1).declare(V2).reconcile();

    assertThat(cluster.namedRoutes).containsExactly(BETA);
    assertThat(cluster.weight).as("tagged requests only").isZero();
    assertThat(cluster.replicas(V2)).as("a pod to answer them").isEqualTo(1);
    assertThat(cluster.indexOf(new ScaleRevision(V2, 1, null), new CreateRevision(V2, 1, 2)))
        .as("the pod before the route")
        .isLessThan(cluster.indexOf(new SetNamedRoutes(List.of(BETA))));
    assertThat(cluster.status.phase).isEqualTo(RolloutPhase.Paused);
    assertThat(cluster.status.currentStepIndex).isEqualTo(1);
    assertThat(cluster.events)
        .extracting(RolloutEvent::message)
        .contains("header route beta sends requests with its headers to the canary at step 1/5");
    assertThat(cluster.violations).isEmpty();
  }

  @Test
  void aRouteThatNeverReadsBackHoldsTheStep() {
    var cluster = SimulatedCluster.stableOn(spec(), V1).declare(V2);
    cluster.afterEachPass = c -> c.namedRoutes = List.of();

    cluster.reconcile();

    assertThat(cluster.status.currentStepIndex).isZero();
    assertThat(cluster.status.phase).isEqualTo(RolloutPhase.Progressing);
    assertThat(cluster.status.message)
        .contains("setting the routes Weir names to [beta] at step 1/5")
        .contains("the routes read back none");
  }

  @Test
  void laterStepsAddTheirRoutesInOrderAndAWeightBesideThem() {
    var cluster = v2AtItsHeaderRoute().promote().reconcile();

    assertThat(cluster.namedRoutes).containsExactly(BETA, SHADOW);
    assertThat(cluster.weight).isEqualTo(10);
    assertThat(cluster.status.currentStepIndex).isEqualTo(4);
    assertThat(cluster.indexOf(new SetNamedRoutes(List.of(BETA, SHADOW))))
        .as("the mirror step comes before the weight step")
        .isLessThan(cluster.indexOf(new SetWeight(10)));
  }

  @Test
  void aStepWithoutMatchRemovesItsRoute() {
    var spec = spec();
    spec.strategy.canary.steps.set(2, headerRoute("beta", null, null));
    var cluster = SimulatedCluster.stableOn(spec, V1).declare(V2).reconcile().promote().reconcile();

    assertThat(cluster.namedRoutes).isEmpty();
    assertThat(cluster.weight).isEqualTo(10);
    assertThat(cluster.events)
        .extracting(RolloutEvent::message)
        .contains("header route beta removed at step 3/5");
  }

  @Test
  void aMirrorStepWithoutMatchOrPercentageRemovesIts() {
    var spec = spec();
    spec.strategy.canary.steps.add(3, mirrorRoute("shadow", null));
    var cluster = SimulatedCluster.stableOn(spec, V1).declare(V2).reconcile().promote().reconcile();

    assertThat(cluster.namedRoutes).containsExactly(BETA);
    assertThat(cluster.status.currentStepIndex).isEqualTo(5);
  }

  @Test
  void promotionRemovesTheRoutesBeforeTheWeightGoesTo100AndTheOldStableGoes() {
    var cluster = v2AtItsHeaderRoute().promote().reconcile().promote().reconcile();

    assertThat(cluster.status.stableRS).isEqualTo(V2);
    assertThat(cluster.namedRoutes).isEmpty();
    int removed = cluster.indexOf(new SetNamedRoutes(List.of()));
    assertThat(removed).isLessThan(cluster.indexOf(new SetWeight(100)));
    cluster.advance(Duration.ofSeconds(30));
    cluster.reconcile();
    assertThat(cluster.replicas(V1)).isZero();
    assertThat(cluster.namedRoutes).isEmpty();
    assertThat(cluster.violations).isEmpty();
  }

  @Test
  void anAbortRemovesTheRoutesBeforeTheCanaryScalesDown() {
    var cluster = v2AtItsHeaderRoute().promote().reconcile().abort().reconcile();

    assertThat(cluster.namedRoutes).isEmpty();
    assertThat(cluster.weight).isZero();
    int removed = cluster.indexOf(new SetNamedRoutes(List.of()));
    cluster.advance(Duration.ofSeconds(30));
    cluster.reconcile();
    assertThat(cluster.replicas(V2)).isZero();
    assertThat(removed).isLessThan(cluster.indexOf(new ScaleRevision(V2, 0, null)));
    assertThat(cluster.status.phase).isEqualTo(RolloutPhase.Degraded);
    assertThat(cluster.violations).isEmpty();
  }

  @Test
  void aSupersedingRevisionStartsWithoutTheRoutesOfTheOneBefore() {
    var cluster = v2AtItsHeaderRoute().promote().reconcile().declare(V3).reconcile();

    int removed = cluster.indexOf(new SetNamedRoutes(List.of()));
    assertThat(removed)
        .as("no route leads to v2's side once it is pointed at v3")
        .isLessThan(cluster.indexOf(new Pin(Side.CANARY, V3)));
    assertThat(cluster.namedRoutes).as("v3's own first step").containsExactly(BETA);
    assertThat(cluster.pins.get(Side.CANARY)).containsExactly(V3);
    assertThat(cluster.status.currentStepIndex).isEqualTo(1);
    cluster.advance(Duration.ofSeconds(30));
    cluster.reconcile();
    assertThat(cluster.replicas(V2)).isZero();
    assertThat(cluster.violations).isEmpty();
  }

  @Test
  void aRollbackToStableRemovesTheRoutes() {
    var cluster = v2AtItsHeaderRoute().declare(V1).reconcile();

    assertThat(cluster.namedRoutes).isEmpty();
    assertThat(cluster.status.phase).isEqualTo(RolloutPhase.Healthy);
    assertThat(cluster.violations).isEmpty();
  }

  @Test
  void routesTakenAwayOrLeftBehindArePutRightAndThenNothingIsAskedFor() {
    var cluster = v2AtItsHeaderRoute().promote().reconcile();
    // A restarted controller, or a sync, finds the VirtualService without Weir's routes.
    cluster.namedRoutes = List.of();
    cluster.log.clear();

    cluster.reconcile();

    assertThat(cluster.namedRoutes).containsExactly(BETA, SHADOW);
    assertThat(cluster.actions()).containsExactly(new SetNamedRoutes(List.of(BETA, SHADOW)));
    cluster.log.clear();
    cluster.reconcile();
    assertThat(cluster.actions()).as("idempotent once read back").isEmpty();
    assertThat(cluster.status.currentStepIndex).isEqualTo(4);
  }

  @Test
  void aHealthyRolloutKeepsNoRouteWeirNamed() {
    var cluster = SimulatedCluster.stableOn(spec(), V1);
    cluster.namedRoutes = List.of(BETA);

    cluster.reconcile();

    assertThat(cluster.namedRoutes).isEmpty();
    assertThat(cluster.status.phase).isEqualTo(RolloutPhase.Healthy);
  }

  @Test
  void aMirrorWithoutMatchCopiesEveryRequestAndWithoutPercentageAll() {
    var everything = mirrorRoute("all", 40);
    everything.setMirrorRoute.match = null;
    var whole = mirrorRoute("whole", 100);
    whole.setMirrorRoute.percentage = null;

    assertThat(NamedRoutes.setBy(List.of(everything, whole), 2))
        .containsExactly(
            new NamedRoute("all", List.of(), 40), new NamedRoute("whole", SHADOW.matches(), 100));
  }

  @Test
  void aPathPrefixOfSlashIsNoPathAtAll() {
    var everyPath = mirrorRoute("gets", 10);
    everyPath.setMirrorRoute.match.get(0).path = StringMatch.prefix("/");

    assertThat(NamedRoutes.setBy(List.of(everyPath), 1).get(0).matches())
        .containsExactly(
            new RequestMatch(new ValueMatch(ValueMatch.Kind.EXACT, "GET"), null, Map.of()));
  }
}
