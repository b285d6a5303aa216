package dev.weir.rollout.plan;

import static dev.weir.rollout.plan.PlannerFixtures.NOW;
import static dev.weir.rollout.plan.PlannerFixtures.classicSpec;
import static dev.weir.rollout.plan.PlannerFixtures.ready;
import static dev.weir.rollout.plan.PlannerFixtures.revisions;
import static dev.weir.rollout.plan.PlannerFixtures.traffic;
import static dev.weir.rollout.plan.PlannerFixtures.unready;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import com.fasterxml.jackson.databind.JsonNode;
import dev.weir.api.v1alpha1.AnalysisPhase;
import dev.weir.api.v1alpha1.CanaryStep;
import dev.weir.api.v1alpha1.PauseCondition;
import dev.weir.api.v1alpha1.PromoteRequest;
import dev.weir.api.v1alpha1.RolloutPause;
import dev.weir.api.v1alpha1.RolloutPhase;
import dev.weir.api.v1alpha1.RolloutSpec;
import dev.weir.api.v1alpha1.RolloutStatus;
import dev.weir.api.v1alpha1.SpecProblem;
import dev.weir.rollout.plan.Action.CreateRevision;
import dev.weir.rollout.plan.Action.DeleteRevision;
import dev.weir.rollout.plan.Action.Pin;
import dev.weir.rollout.plan.Action.ScaleRevision;
import dev.weir.rollout.plan.Action.SetWeight;
import dev.weir.traffic.Side;
import dev.weir.traffic.TrafficState;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The canary planner as tables: given a status and what the cluster shows, the actions it asks for
 * and the status a user then reads. The spec is examples/canary-istio (5 replicas; steps 10 %,
 * pause, 30 %, pause 2m, 60 %, pause 2m) unless a row says otherwise; v1 is stable, v2 the canary.
 */
class CanaryPlannerTest {

  private static final long GENERATION = 4;
  private static final String V1 = "v1";
  private static final String V2 = "v2";
  private static final String V3 = "v3";
  private static final String PAUSE_STEP = "CanaryPauseStep";

  private final ReleasePlanner planner = new ReleasePlanner();

  // ---------------------------------------------------------------------------------------------
  // The first revision

  @Test
  void theFirstRevisionIsStableAtOnce() {
    var fresh =
        new TrafficState(0, Map.of(Side.STABLE, Set.of(""), Side.CANARY, Set.of("")), List.of());

    var plan = plan(null, seen(V1, fresh));

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
    var cluster = new Cluster(classicSpec(), V1).reconcile();

    assertThat(cluster.status.phase).isEqualTo(RolloutPhase.Healthy);
    assertThat(cluster.status.stableRS).isEqualTo(V1);
    assertThat(cluster.status.currentWeight).isZero();
    assertThat(condition(cluster.status, StatusConditions.COMPLETED)).isEqualTo("True");
    assertThat(condition(cluster.status, StatusConditions.READY)).isEqualTo("True");
    assertThat(cluster.actions())
        .containsExactly(
            new CreateRevision(V1, 5, 1), new Pin(Side.STABLE, V1), new Pin(Side.CANARY, V1));
    assertThat(cluster.events).isEmpty();
    assertThat(cluster.violations).isEmpty();
  }

  // ---------------------------------------------------------------------------------------------
  // A new revision: step 0

  static Stream<Pass> newRevision() {
    return Stream.of(
        new Pass(
            "the template changes: the canary side is pinned first, at weight 0",
            status(V1, V1, 6, 0),
            seen(V2, traffic(0, V1, V1), ready(V1, 5, 1)),
            List.of(new Pin(Side.CANARY, V2)),
            RolloutPhase.Progressing,
            0,
            0,
            "NewRevision"),
        new Pass(
            "canary side pinned: its ReplicaSet is created with 1 pod for 10 %",
            status(V1, V2, 0, 0),
            seen(V2, traffic(0, V1, V2), ready(V1, 5, 1)),
            List.of(new CreateRevision(V2, 1, 2)),
            RolloutPhase.Progressing,
            0,
            0),
        new Pass(
            "canary pod starting: wait, the weight is not touched",
            status(V1, V2, 0, 0),
            seen(V2, traffic(0, V1, V2), ready(V1, 5, 1), unready(V2, 1, 2)),
            List.of(),
            RolloutPhase.Progressing,
            0,
            0),
        new Pass(
            "canary pod available: the weight is written",
            status(V1, V2, 0, 0),
            seen(V2, traffic(0, V1, V2), ready(V1, 5, 1), ready(V2, 1, 2)),
            List.of(new SetWeight(10)),
            RolloutPhase.Progressing,
            0,
            10),
        new Pass(
            "10 % read back: step 0 done, paused at step 1",
            verified(status(V1, V2, 0, 10), 0),
            seen(V2, traffic(10, V1, V2), ready(V1, 5, 1), ready(V2, 1, 2)),
            List.of(),
            RolloutPhase.Paused,
            1,
            10,
            "WeightSet"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("newRevision")
  void aNewRevisionStartsAtStepZero(Pass pass) {
    var plan = planAndExpect(pass);
    assertThat(plan.status().stableRS).isEqualTo(V1);
    assertThat(plan.status().currentPodHash).isEqualTo(V2);
  }

  // ---------------------------------------------------------------------------------------------
  // setWeight: pods first, then the weight, then the next step

  @ParameterizedTest(
      name = "setWeight {0} at step {1}: canary scaled to {2} of 5 pods, weight kept at {3}")
  @CsvSource({"10, 0, 1, 0", "30, 2, 2, 10", "60, 4, 3, 30"})
  void setWeightScalesTheCanaryFirst(int weight, int step, int pods, int previous) {
    int previousPods = ReplicaArithmetic.canaryReplicas(5, previous);
    var revisions = new ArrayList<>(List.of(ready(V1, 5, 1)));
    if (previousPods > 0) {
      revisions.add(ready(V2, previousPods, 2));
    }
    var seen = seen(V2, traffic(previous, V1, V2), revisions.toArray(Revision[]::new));

    var plan = plan(status(V1, V2, step, previous), seen);

    Action scale =
        previousPods == 0 ? new CreateRevision(V2, pods, 2) : new ScaleRevision(V2, pods, null);
    expect(plan, List.of(scale), RolloutPhase.Progressing, step, previous, List.of());
    assertThat(plan.status().message)
        .isEqualTo("waiting for canary pods: " + previousPods + "/" + pods + " available");
    assertThat(plan.requeueAfter()).as("the progress deadline").isPresent();
  }

  @ParameterizedTest(
      name = "setWeight {0} at step {1}: {2} canary pods available, the weight is written")
  @CsvSource({"10, 0, 1, 0", "30, 2, 2, 10", "60, 4, 3, 30"})
  void setWeightWritesTheWeightOnceThePodsAreAvailable(
      int weight, int step, int pods, int previous) {
    var seen = seen(V2, traffic(previous, V1, V2), ready(V1, 5, 1), ready(V2, pods, 2));

    var plan = plan(status(V1, V2, step, previous), seen);

    expect(plan, List.of(new SetWeight(weight)), RolloutPhase.Progressing, step, weight, List.of());
    assertThat(plan.status().verifiedWeight).as("what the router reads").isEqualTo(previous);
  }

  @ParameterizedTest(name = "{0} % read back at step {1}: paused at step {3}, requeue {4}s")
  @CsvSource({"10, 0, 1, 1, -1", "30, 2, 2, 3, 120", "60, 4, 3, 5, 120"})
  void aVerifiedWeightAdvancesTheStep(int weight, int step, int pods, int next, long requeue) {
    var seen = seen(V2, traffic(weight, V1, V2), ready(V1, 5, 1), ready(V2, pods, 2));

    var plan = plan(verified(status(V1, V2, step, weight), 0), seen);

    expect(plan, List.of(), RolloutPhase.Paused, next, weight, List.of("WeightSet"));
    assertThat(plan.events().get(0).message()).contains(weight + "%");
    assertThat(plan.status().verifiedWeight).isEqualTo(weight);
    assertThat(plan.status().pauseConditions)
        .containsExactly(new PauseCondition(PAUSE_STEP, NOW.toString()));
    assertThat(plan.requeueAfter())
        .isEqualTo(requeue < 0 ? Optional.empty() : Optional.of(Duration.ofSeconds(requeue)));
  }

  @Test
  void setCanaryScaleDecidesThePodsWhateverTheWeight() {
    var spec = classicSpec();
    spec.strategy.canary.steps = steps(scaleStep(4), weightStep(10), pauseStep(null));

    var plan = plan(spec, status(V1, V2, 0, 0), seen(V2, traffic(0, V1, V2), ready(V1, 5, 1)));
    var next =
        plan(
            spec,
            status(V1, V2, 1, 0),
            seen(V2, traffic(0, V1, V2), ready(V1, 5, 1), ready(V2, 4, 2)));

    assertThat(plan.actions()).containsExactly(new CreateRevision(V2, 4, 2));
    assertThat(next.actions()).as("10 % on 4 pods: no resize").containsExactly(new SetWeight(10));
  }

  @ParameterizedTest(name = "setCanaryScale {0} at weight 10: {1} canary pods")
  @CsvSource({"weight 40, 2", "weight 100, 5", "replicas 3, 3", "matchTrafficWeight, 1"})
  void setCanaryScaleTakesAWeightOrReplicasOrFollowsTheTrafficAgain(String scale, int pods) {
    var spec = classicSpec();
    var step = scaleStep(4);
    step.setCanaryScale.replicas = null;
    String[] words = scale.split(" ");
    switch (words[0]) {
      case "weight" -> step.setCanaryScale.weight = Integer.parseInt(words[1]);
      case "replicas" -> step.setCanaryScale.replicas = Integer.parseInt(words[1]);
      default -> step.setCanaryScale.matchTrafficWeight = true;
    }
    // An earlier scale of 4 pods, then this one: the latest setCanaryScale decides.
    spec.strategy.canary.steps =
        steps(scaleStep(4), weightStep(5), step, weightStep(10), pauseStep(null));

    var plan =
        plan(
            spec,
            status(V1, V2, 3, 0),
            seen(V2, traffic(0, V1, V2), ready(V1, 5, 1), ready(V2, 0, 2)));

    assertThat(plan.actions()).first().isEqualTo(new ScaleRevision(V2, pods, null));
  }

  // ---------------------------------------------------------------------------------------------
  // Pauses

  @ParameterizedTest(name = "pause 2m started {0}s ago: step {1}, requeue {2}s")
  @CsvSource({"-1, 3, 120", "0, 3, 120", "30, 3, 90", "119, 3, 1", "120, 4, -1", "600, 4, -1"})
  void aPauseWithADurationWaitsForItsEnd(long startedAgo, int step, long requeue) {
    var given = status(V1, V2, 3, 30);
    if (startedAgo >= 0) {
      given.pauseConditions.add(
          new PauseCondition(PAUSE_STEP, NOW.minusSeconds(startedAgo).toString()));
    }
    var seen = seen(V2, traffic(30, V1, V2), ready(V1, 5, 1), ready(V2, 2, 2));

    var plan = plan(given, seen);

    if (step == 3) {
      Instant start = NOW.minusSeconds(Math.max(0, startedAgo));
      expect(plan, List.of(), RolloutPhase.Paused, 3, 30, List.of());
      assertThat(plan.requeueAfter()).contains(Duration.ofSeconds(requeue));
      assertThat(plan.status().pauseConditions)
          .containsExactly(new PauseCondition(PAUSE_STEP, start.toString()));
      assertThat(plan.status().message)
          .isEqualTo("paused at step 4/6 until " + start.plusSeconds(120));
      assertThat(condition(plan.status(), StatusConditions.PAUSED)).isEqualTo("True");
    } else {
      // Over: on to setWeight 60, which first asks for the third canary pod.
      expect(
          plan,
          List.of(new ScaleRevision(V2, 3, null)),
          RolloutPhase.Progressing,
          4,
          30,
          List.of());
      assertThat(plan.status().pauseConditions).isEmpty();
      assertThat(condition(plan.status(), StatusConditions.PAUSED)).isEqualTo("False");
    }
  }

  static Stream<Arguments> indefinitePause() {
    return Stream.of(
        arguments(
            "no request: still paused, no requeue",
            null,
            List.of(),
            RolloutPhase.Paused,
            1,
            List.of()),
        arguments(
            "promote: step 1 ends, setWeight 30 scales the canary",
            PromoteRequest.Step,
            List.of(new ScaleRevision(V2, 2, null)),
            RolloutPhase.Progressing,
            2,
            List.of("StepPromoted")),
        arguments(
            "promote --full: every step skipped, the canary scales to full size",
            PromoteRequest.Full,
            List.of(new ScaleRevision(V2, 5, null)),
            RolloutPhase.Progressing,
            6,
            List.of("PromotedFull")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("indefinitePause")
  void aPauseWithoutDurationWaitsForPromote(
      String what,
      PromoteRequest promote,
      List<Action> actions,
      RolloutPhase phase,
      int step,
      List<String> events) {
    var given = paused(status(V1, V2, 1, 10), NOW.minusSeconds(60));
    given.promote = promote;
    var seen = seen(V2, traffic(10, V1, V2), ready(V1, 5, 1), ready(V2, 1, 2));

    var plan = plan(given, seen);

    expect(plan, actions, phase, step, 10, events);
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
    var given = paused(status(V1, V2, 3, 30), NOW.minusSeconds(10));
    given.promote = PromoteRequest.Step;

    var plan = plan(given, seen(V2, traffic(30, V1, V2), ready(V1, 5, 1), ready(V2, 2, 2)));

    expect(
        plan,
        List.of(new ScaleRevision(V2, 3, null)),
        RolloutPhase.Progressing,
        4,
        30,
        List.of("StepPromoted"));
  }

  // ---------------------------------------------------------------------------------------------
  // Promotion: traffic first, the old stable goes after scaleDownDelaySeconds

  static Stream<Pass> promotion() {
    Instant at = NOW.plusSeconds(30);
    return Stream.of(
        new Pass(
            "last pause over: the canary scales to full size before any traffic moves",
            paused(status(V1, V2, 5, 60), NOW.minusSeconds(120)),
            seen(V2, traffic(60, V1, V2), ready(V1, 5, 1), ready(V2, 3, 2)),
            List.of(new ScaleRevision(V2, 5, null)),
            RolloutPhase.Progressing,
            6,
            60),
        new Pass(
            "canary at full size: all traffic to it",
            status(V1, V2, 6, 60),
            seen(V2, traffic(60, V1, V2), ready(V1, 5, 1), ready(V2, 5, 2)),
            List.of(new SetWeight(100)),
            RolloutPhase.Progressing,
            6,
            null),
        new Pass(
            "100 % read back: the stable side is pointed at the new revision",
            status(V1, V2, 6, 100),
            seen(V2, traffic(100, V1, V2), ready(V1, 5, 1), ready(V2, 5, 2)),
            List.of(new Pin(Side.STABLE, V2)),
            RolloutPhase.Progressing,
            6,
            100),
        new Pass(
            "both sides on v2: v2 is stable, v1 keeps its pods for 30s",
            status(V1, V2, 6, 100),
            seen(V2, traffic(100, V2, V2), ready(V1, 5, 1), ready(V2, 5, 2)),
            List.of(new ScaleRevision(V1, 5, at)),
            RolloutPhase.Progressing,
            6,
            100,
            "Promoted"),
        new Pass(
            "steady on v2: the weight goes back to 0 (both sides are v2)",
            status(V2, V2, 6, 100),
            seen(V2, traffic(100, V2, V2), scalingDown(V1, 5, 1, at), ready(V2, 5, 2)),
            List.of(new SetWeight(0)),
            RolloutPhase.Progressing,
            6,
            0),
        new Pass(
            "10s later: v1 still has its pods",
            status(V2, V2, 6, 0),
            seenAt(
                NOW.plusSeconds(10),
                V2,
                traffic(0, V2, V2),
                scalingDown(V1, 5, 1, at),
                ready(V2, 5, 2)),
            List.of(),
            RolloutPhase.Healthy,
            6,
            0),
        new Pass(
            "30s later: v1 scales to 0",
            status(V2, V2, 6, 0),
            seenAt(at, V2, traffic(0, V2, V2), scalingDown(V1, 5, 1, at), ready(V2, 5, 2)),
            List.of(new ScaleRevision(V1, 0, null)),
            RolloutPhase.Healthy,
            6,
            0));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("promotion")
  void promotionMovesTrafficBeforeTheOldStableGoes(Pass pass) {
    var plan = planAndExpect(pass);
    assertThat(plan.status().currentPodHash).isEqualTo(V2);
    if (!pass.seen().now().isBefore(NOW.plusSeconds(30)) || !pass.given().stableRS.equals(V1)) {
      return;
    }
    assertThat(plan.actions())
        .as("never an immediate scale-down of the old stable")
        .noneMatch(a -> a instanceof ScaleRevision s && s.hash().equals(V1) && s.replicas() < 5);
  }

  @Test
  void promotionRequeuesForTheScaleDownAndSaysWhichRevisionIsStable() {
    var plan =
        plan(
            status(V1, V2, 6, 100),
            seen(V2, traffic(100, V2, V2), ready(V1, 5, 1), ready(V2, 5, 2)));

    assertThat(plan.status().stableRS).isEqualTo(V2);
    assertThat(plan.requeueAfter()).contains(Duration.ofSeconds(30));
    assertThat(plan.events().get(0).message()).contains("v2 promoted to stable, replacing v1");
  }

  @ParameterizedTest(name = "scaleDownDelaySeconds {0}: v1 goes at now + {1}s")
  @CsvSource(
      value = {"null, 30", "30, 30", "300, 300", "1, 1"},
      nullValues = "null")
  void theOldStableGoesAfterScaleDownDelaySeconds(Integer delay, long seconds) {
    var spec = classicSpec();
    spec.strategy.canary.scaleDownDelaySeconds = delay;

    var plan =
        plan(
            spec,
            status(V1, V2, 6, 100),
            seen(V2, traffic(100, V2, V2), ready(V1, 5, 1), ready(V2, 5, 2)));

    assertThat(plan.actions()).containsExactly(new ScaleRevision(V1, 5, NOW.plusSeconds(seconds)));
    assertThat(plan.requeueAfter()).contains(Duration.ofSeconds(seconds));
  }

  // ---------------------------------------------------------------------------------------------
  // Abort and retry

  static Stream<Pass> abort() {
    Instant at = NOW.plusSeconds(30);
    return Stream.of(
        new Pass(
            "abort at 10 %: traffic back to stable first, the canary keeps its pod",
            aborted(status(V1, V2, 2, 10), null),
            seen(V2, traffic(10, V1, V2), ready(V1, 5, 1), ready(V2, 1, 2)),
            List.of(new SetWeight(0)),
            RolloutPhase.Degraded,
            2,
            null,
            "Aborted"),
        new Pass(
            "abort at 60 %: the same, with three canary pods kept",
            aborted(status(V1, V2, 5, 60), null),
            seen(V2, traffic(60, V1, V2), ready(V1, 5, 1), ready(V2, 3, 2)),
            List.of(new SetWeight(0)),
            RolloutPhase.Degraded,
            5,
            null,
            "Aborted"),
        new Pass(
            "weight 0 read back: the canary side is pointed at stable",
            aborted(status(V1, V2, 2, 10), NOW.minusSeconds(1)),
            seen(V2, traffic(0, V1, V2), ready(V1, 5, 1), ready(V2, 1, 2)),
            List.of(new Pin(Side.CANARY, V1)),
            RolloutPhase.Degraded,
            2,
            0),
        new Pass(
            "nothing selects the canary: its scale-down is scheduled after 30s",
            aborted(status(V1, V2, 2, 0), NOW.minusSeconds(1)),
            seen(V2, traffic(0, V1, V1), ready(V1, 5, 1), ready(V2, 1, 2)),
            List.of(new ScaleRevision(V2, 1, at)),
            RolloutPhase.Degraded,
            2,
            0),
        new Pass(
            "30s later: the canary scales to 0",
            aborted(status(V1, V2, 2, 0), NOW.minusSeconds(31)),
            seenAt(at, V2, traffic(0, V1, V1), ready(V1, 5, 1), scalingDown(V2, 1, 2, at)),
            List.of(new ScaleRevision(V2, 0, null)),
            RolloutPhase.Degraded,
            2,
            0),
        new Pass(
            "a request to promote while aborted is dropped",
            promoted(aborted(status(V1, V2, 2, 0), NOW.minusSeconds(1)), PromoteRequest.Full),
            seen(V2, traffic(0, V1, V1), ready(V1, 5, 1), ready(V2, 0, 2)),
            List.of(),
            RolloutPhase.Degraded,
            2,
            0));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("abort")
  void anAbortMovesTrafficBeforeTheCanaryGoes(Pass pass) {
    var plan = planAndExpect(pass);
    var status = plan.status();
    assertThat(status.abort).isTrue();
    assertThat(status.abortedAt)
        .isEqualTo(pass.given().abortedAt == null ? NOW.toString() : pass.given().abortedAt);
    assertThat(status.promote).isNull();
    assertThat(status.message).startsWith("rollout aborted: revision v2 rolled back to v1");
    assertThat(condition(status, StatusConditions.ABORTED)).isEqualTo("True");
    assertThat(condition(status, StatusConditions.STALLED)).isEqualTo("True");
    assertThat(condition(status, StatusConditions.READY)).isEqualTo("False");
    if (!Integer.valueOf(0).equals(pass.seen().traffic().canaryWeight())) {
      assertThat(plan.actions())
          .as("nothing scales down before the weight 0 is read back")
          .noneMatch(ScaleRevision.class::isInstance);
    }
  }

  @Test
  void anAbortSaysItOnceAndItsMessageDoesNotGrowWhileTheWeightIsPending() {
    var seen = seen(V2, traffic(10, V1, V2), ready(V1, 5, 1), ready(V2, 1, 2));
    var first = plan(aborted(status(V1, V2, 2, 10), null), seen);

    var second = plan(first.status(), seen);

    assertThat(first.events()).extracting(e -> e.reason().name()).containsExactly("Aborted");
    assertThat(second.events()).as("the abort is announced once").isEmpty();
    assertThat(second.actions()).containsExactly(new SetWeight(0));
  }

  @Test
  void anAbortMessageStaysTheSameFromPassToPass() {
    var seen = seen(V2, traffic(10, V1, V2), ready(V1, 5, 1), ready(V2, 1, 2));
    var first = plan(aborted(status(V1, V2, 2, 10), null), seen);
    var second = plan(first.status(), seen);
    var settled =
        plan(second.status(), seen(V2, traffic(0, V1, V1), ready(V1, 5, 1), ready(V2, 0, 2)));

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
            aborted(status(V1, V2, 3, 30), null),
            seen(V2, traffic(30, V1, V2), ready(V1, 5, 1), ready(V2, 2, 2)));

    assertThat(plan.actions()).containsExactly(new SetWeight(0));
    assertThat(plan.status().currentWeight).as("what Weir wants").isZero();
    assertThat(plan.status().verifiedWeight).as("what the router reads").isEqualTo(30);
  }

  static Stream<Arguments> retry() {
    return Stream.of(
        arguments("abort cleared (null)", null, true),
        arguments("abort set to false", false, true),
        arguments("abort still true: no retry", true, false));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("retry")
  void aRetryRestartsAtStepZero(String what, Boolean abort, boolean retried) {
    var given = status(V1, V2, 3, 0);
    given.abort = abort;
    given.abortedAt = NOW.minusSeconds(300).toString();
    given.message = "rollout aborted: revision v2 rolled back to v1";
    var seen = seen(V2, traffic(0, V1, V1), ready(V1, 5, 1), ready(V2, 0, 2));

    var plan = plan(given, seen);

    if (retried) {
      expect(
          plan,
          List.of(new Pin(Side.CANARY, V2)),
          RolloutPhase.Progressing,
          0,
          0,
          List.of("Retried"));
      assertThat(plan.status().abortedAt).isNull();
      assertThat(condition(plan.status(), StatusConditions.ABORTED)).isEqualTo("False");
    } else {
      expect(plan, List.of(), RolloutPhase.Degraded, 3, 0, List.of());
      assertThat(condition(plan.status(), StatusConditions.ABORTED)).isEqualTo("True");
    }
  }

  @Test
  void afterARetryTheCanaryComesBackForStepZero() {
    var plan =
        plan(status(V1, V2, 0, 0), seen(V2, traffic(0, V1, V2), ready(V1, 5, 1), ready(V2, 0, 2)));

    expect(
        plan, List.of(new ScaleRevision(V2, 1, null)), RolloutPhase.Progressing, 0, 0, List.of());
  }

  // ---------------------------------------------------------------------------------------------
  // Back to stable (git revert) and a newer revision mid-canary

  static Stream<Pass> rollback() {
    Instant at = NOW.plusSeconds(30);
    return Stream.of(
        new Pass(
            "git revert to v1 at step 2 (10 %): weight to 0 at once, no steps",
            status(V1, V2, 2, 10),
            seen(V1, traffic(10, V1, V2), ready(V1, 5, 1), ready(V2, 1, 2)),
            List.of(new SetWeight(0)),
            RolloutPhase.Progressing,
            6,
            0,
            "RolledBack"),
        new Pass(
            "git revert while paused at step 1: the pause is gone too",
            paused(status(V1, V2, 1, 10), NOW.minusSeconds(60)),
            seen(V1, traffic(10, V1, V2), ready(V1, 5, 1), ready(V2, 1, 2)),
            List.of(new SetWeight(0)),
            RolloutPhase.Progressing,
            6,
            0,
            "RolledBack"),
        new Pass(
            "git revert after an abort: the abort is over, Healthy",
            aborted(status(V1, V2, 2, 0), NOW.minusSeconds(60)),
            seen(V1, traffic(0, V1, V1), ready(V1, 5, 1), scalingDown(V2, 1, 2, at)),
            List.of(),
            RolloutPhase.Healthy,
            6,
            0,
            "RolledBack"),
        new Pass(
            "weight 0 read back: the canary side is pointed at v1",
            status(V1, V1, 6, 0),
            seen(V1, traffic(0, V1, V2), ready(V1, 5, 1), ready(V2, 1, 2)),
            List.of(new Pin(Side.CANARY, V1)),
            RolloutPhase.Progressing,
            6,
            0),
        new Pass(
            "nothing selects v2: it goes after abortScaleDownDelaySeconds",
            status(V1, V1, 6, 0),
            seen(V1, traffic(0, V1, V1), ready(V1, 5, 1), ready(V2, 1, 2)),
            List.of(new ScaleRevision(V2, 1, at)),
            RolloutPhase.Healthy,
            6,
            0));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rollback")
  void goingBackToTheStableRevisionIsAnInstantRollback(Pass pass) {
    var plan = planAndExpect(pass);
    var status = plan.status();
    assertThat(status.currentPodHash).isEqualTo(V1);
    assertThat(status.stableRS).isEqualTo(V1);
    assertThat(status.pauseConditions).isEmpty();
    assertThat(status.abort).isNull();
    assertThat(condition(status, StatusConditions.ABORTED)).isEqualTo("False");
    assertThat(plan.actions())
        .as("the stable revision is untouched")
        .noneMatch(a -> a instanceof ScaleRevision s && s.hash().equals(V1));
  }

  static Stream<Pass> supersede() {
    return Stream.of(
        new Pass(
            "v3 declared at step 2 of v2 (10 %): traffic off v2 first",
            status(V1, V2, 2, 10),
            seen(V3, traffic(10, V1, V2), ready(V1, 5, 1), ready(V2, 1, 2)),
            List.of(new SetWeight(0)),
            RolloutPhase.Progressing,
            0,
            0,
            "Superseded",
            "NewRevision"),
        new Pass(
            "v3 declared while v2 waits for promote: the pause is gone too",
            paused(status(V1, V2, 1, 10), NOW.minusSeconds(60)),
            seen(V3, traffic(10, V1, V2), ready(V1, 5, 1), ready(V2, 1, 2)),
            List.of(new SetWeight(0)),
            RolloutPhase.Progressing,
            0,
            0,
            "Superseded",
            "NewRevision"),
        new Pass(
            "weight 0 read back: the canary side is pointed at v3",
            status(V1, V3, 0, 0),
            seen(V3, traffic(0, V1, V2), ready(V1, 5, 1), ready(V2, 1, 2)),
            List.of(new Pin(Side.CANARY, V3)),
            RolloutPhase.Progressing,
            0,
            0),
        new Pass(
            "canary side on v3: v2 goes after 30s, v3 comes up for 10 %",
            status(V1, V3, 0, 0),
            seen(V3, traffic(0, V1, V3), ready(V1, 5, 1), ready(V2, 1, 2)),
            List.of(new ScaleRevision(V2, 1, NOW.plusSeconds(30)), new CreateRevision(V3, 1, 3)),
            RolloutPhase.Progressing,
            0,
            0));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("supersede")
  void aNewRevisionMidCanarySupersedesTheOneInProgress(Pass pass) {
    var plan = planAndExpect(pass);
    assertThat(plan.status().currentPodHash).isEqualTo(V3);
    assertThat(plan.status().stableRS).isEqualTo(V1);
    assertThat(plan.status().pauseConditions).isEmpty();
    assertThat(plan.actions())
        .as("stable is untouched")
        .noneMatch(a -> a instanceof ScaleRevision s && s.hash().equals(V1))
        .noneMatch(a -> a instanceof Pin p && p.side() == Side.STABLE);
  }

  // ---------------------------------------------------------------------------------------------
  // GitOps coexistence: an outside change of the weight

  @ParameterizedTest(name = "weight changed to {0} % outside Weir at step {1}: restored to {2} %")
  @CsvSource({"0, 2, 10", "30, 2, 10", "100, 2, 10", "0, 1, 10", "50, 1, 10", "0, 5, 60"})
  void anOutsideWeightChangeIsRestoredAndNeverAdvancesAStep(int outside, int step, int weight) {
    var given = status(V1, V2, step, weight);
    if (step == 1 || step == 5) {
      given = paused(given, NOW.minusSeconds(step == 5 ? 600 : 60));
    }
    int pods = ReplicaArithmetic.canaryReplicas(5, weight);
    var seen = seen(V2, traffic(outside, V1, V2), ready(V1, 5, 1), ready(V2, pods, 2));

    var plan = plan(given, seen);

    expect(
        plan,
        List.of(new SetWeight(weight)),
        RolloutPhase.Progressing,
        step,
        weight,
        List.of("WeightRestored"));
    assertThat(plan.events().get(0).reason().warning()).isTrue();
    assertThat(plan.events().get(0).message())
        .contains("changed to " + outside + "%")
        .contains("restoring " + weight + "%");
    assertThat(plan.status().verifiedWeight).isEqualTo(outside);
    assertThat(plan.status().stableRS).as("never promoted because of it").isEqualTo(V1);
  }

  @Test
  void aWeightNotYetReadBackIsAskedForAgainWithoutAWarning() {
    var given = verified(status(V1, V2, 2, 30), 10);
    var seen = seen(V2, traffic(10, V1, V2), ready(V1, 5, 1), ready(V2, 2, 2));

    var plan = plan(given, seen);

    expect(plan, List.of(new SetWeight(30)), RolloutPhase.Progressing, 2, 30, List.of());
  }

  // ---------------------------------------------------------------------------------------------
  // spec.paused

  static Stream<Arguments> userPause() {
    return Stream.of(
        arguments(
            "before setWeight 30 scales the canary",
            status(V1, V2, 2, 10),
            seen(V2, traffic(10, V1, V2), ready(V1, 5, 1), ready(V2, 1, 2))),
        arguments(
            "at a pause of 2m long over",
            paused(status(V1, V2, 3, 30), NOW.minusSeconds(600)),
            seen(V2, traffic(30, V1, V2), ready(V1, 5, 1), ready(V2, 2, 2))),
        arguments(
            "before the first canary pod",
            status(V1, V2, 0, 0),
            seen(V2, traffic(0, V1, V2), ready(V1, 5, 1))),
        arguments(
            "with a promote request pending",
            promoted(paused(status(V1, V2, 1, 10), NOW.minusSeconds(60)), PromoteRequest.Step),
            seen(V2, traffic(10, V1, V2), ready(V1, 5, 1), ready(V2, 1, 2))));
  }

  @ParameterizedTest(name = "spec.paused {0}: the step holds")
  @MethodSource("userPause")
  void specPausedHoldsTheStep(String what, RolloutStatus given, Observation seen) {
    int step = given.promote == null ? given.currentStepIndex : given.currentStepIndex + 1;

    var plan = planPausedBySpec(given, seen);

    assertThat(plan.status().currentStepIndex).isEqualTo(step);
    assertThat(plan.status().currentWeight).isEqualTo(given.currentWeight);
    assertThat(plan.status().pauseConditions).extracting(p -> p.reason).contains("UserPause");
    assertThat(plan.status().message)
        .startsWith("paused by spec.paused at step " + (step + 1) + "/6");
    assertThat(reasonOf(plan.status(), StatusConditions.PAUSED)).isEqualTo("UserPause");
    assertThat(condition(plan.status(), StatusConditions.RECONCILING)).isEqualTo("True");
  }

  @Test
  void resumingGoesOnWhereItHeld() {
    var given = status(V1, V2, 2, 10);
    given.pauseConditions.add(new PauseCondition("UserPause", NOW.minusSeconds(900).toString()));

    var plan = plan(given, seen(V2, traffic(10, V1, V2), ready(V1, 5, 1), ready(V2, 1, 2)));

    expect(
        plan, List.of(new ScaleRevision(V2, 2, null)), RolloutPhase.Progressing, 2, 10, List.of());
    assertThat(plan.status().pauseConditions).isEmpty();
  }

  @ParameterizedTest(name = "spec.paused {0}: no promotion")
  @MethodSource("pausedPromotion")
  void specPausedHoldsThePromotionToo(String what, RolloutStatus given, Observation seen) {
    var plan = planPausedBySpec(given, seen);

    assertThat(plan.status().stableRS).isEqualTo(V1);
  }

  /** Plans on the classic spec with spec.paused set: no action, and the phase is Paused. */
  private Plan planPausedBySpec(RolloutStatus given, Observation seen) {
    var spec = classicSpec();
    spec.paused = true;
    var plan = plan(spec, given, seen);
    assertThat(plan.actions()).isEmpty();
    assertThat(plan.status().phase).isEqualTo(RolloutPhase.Paused);
    return plan;
  }

  static Stream<Arguments> pausedPromotion() {
    return Stream.of(
        arguments(
            "after the last step, before all traffic moved",
            status(V1, V2, 6, 60),
            seen(V2, traffic(60, V1, V2), ready(V1, 5, 1), ready(V2, 5, 2))),
        arguments(
            "with promote --full",
            promoted(paused(status(V1, V2, 1, 10), NOW.minusSeconds(60)), PromoteRequest.Full),
            seen(V2, traffic(10, V1, V2), ready(V1, 5, 1), ready(V2, 1, 2))));
  }

  // ---------------------------------------------------------------------------------------------
  // Invalid specs touch nothing

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
    var given = aborted(status(V1, V2, 2, 10), null);
    given.promote = PromoteRequest.Full;
    // Everything here would otherwise ask for a move: a weight to restore, an abort to carry out.
    var seen =
        seen(
            V2,
            new TrafficState(
                30, Map.of(Side.STABLE, Set.of(V1), Side.CANARY, Set.of(V2)), problems),
            ready(V1, 5, 1),
            ready(V2, 1, 2));

    var plan = plan(spec, given, seen);

    assertThat(plan.actions()).isEmpty();
    var status = plan.status();
    assertThat(status.phase).isEqualTo(RolloutPhase.Degraded);
    assertThat(status.message).contains(message);
    assertThat(condition(status, StatusConditions.INVALID_SPEC)).isEqualTo("True");
    assertThat(status.conditions)
        .filteredOn(c -> c.getType().equals(StatusConditions.INVALID_SPEC))
        .singleElement()
        .satisfies(c -> assertThat(c.getMessage()).contains(message));
    assertThat(condition(status, StatusConditions.STALLED)).isEqualTo("True");
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
    var seen = seen(V2, traffic(10, V1, V2), ready(V1, 5, 1), ready(V2, 1, 2));
    var invalid = plan(broken, status(V1, V2, 2, 10), seen).status();

    var plan = planner.plan(classicSpec(), GENERATION + 1, invalid, seen);

    assertThat(plan.actions()).containsExactly(new ScaleRevision(V2, 2, null));
    assertThat(plan.status().phase).isEqualTo(RolloutPhase.Progressing);
    assertThat(plan.events()).isEmpty();
    assertThat(condition(plan.status(), StatusConditions.INVALID_SPEC)).isEqualTo("False");
    assertThat(plan.status().observedGeneration).isEqualTo(GENERATION + 1);
  }

  // ---------------------------------------------------------------------------------------------
  // Progress deadline

  @ParameterizedTest(
      name = "{0}s without progress, deadline {1}s, progressDeadlineAbort={2} -> {3}, abort={4}")
  @CsvSource(
      value = {
        "599,  null, false, Progressing, null",
        "599,  null, true,  Progressing, null",
        "600,  null, false, Degraded,    null",
        "600,  null, true,  Degraded,    true",
        "3600, null, true,  Degraded,    true",
        "59,   60,   true,  Progressing, null",
        "61,   60,   false, Degraded,    null",
      },
      nullValues = "null")
  void aProgressDeadlineExceededWhileWaitingForPods(
      long since, Integer deadline, boolean abort, RolloutPhase phase, Boolean aborted) {
    var spec = classicSpec();
    spec.progressDeadlineSeconds = deadline;
    spec.progressDeadlineAbort = abort;
    var revisions = new Revision[] {ready(V1, 5, 1), unready(V2, 2, 2)};
    var given = progressedAt(counted(status(V1, V2, 2, 10), revisions), NOW.minusSeconds(since));

    var plan = plan(spec, given, seen(V2, traffic(10, V1, V2), revisions));

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
    assertThat(condition(status, StatusConditions.ABORTED))
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
    var revisions = new Revision[] {ready(V1, 5, 1), unready(V2, 2, 2)};
    var given = progressedAt(counted(status(V1, V2, 2, 10), revisions), NOW.minusSeconds(700));
    var seen = seen(V2, traffic(10, V1, V2), revisions);

    var first = plan(spec, given, seen);
    var next = plan(spec, first.status(), seen);

    assertThat(next.actions()).containsExactly(new SetWeight(0));
    assertThat(next.events()).as("announced once").isEmpty();
    assertThat(next.status().message).contains("no progress for 600s");
  }

  @Test
  void aProgressDeadlineWhilePromotingAbortsWhenAsked() {
    var spec = abortingAtTheDeadline();
    var revisions = new Revision[] {ready(V1, 5, 1), unready(V2, 5, 2)};
    var given = progressedAt(counted(status(V1, V2, 6, 60), revisions), NOW.minusSeconds(700));

    var plan = plan(spec, given, seen(V2, traffic(60, V1, V2), revisions));

    assertThat(plan.status().phase).isEqualTo(RolloutPhase.Degraded);
    assertThat(plan.status().abort).isTrue();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("longPauses")
  void timeSpentPausedDoesNotCountTowardTheDeadline(
      String what, Consumer<RolloutSpec> change, Consumer<Cluster> endThePause) {
    var spec = abortingAtTheDeadline();
    change.accept(spec);
    var cluster = new Cluster(spec, V1).reconcile();
    cluster.template = V2;
    cluster.reconcile();
    assertThat(cluster.status.currentStepIndex).isEqualTo(1);
    cluster.podsStart = false;

    endThePause.accept(cluster);
    cluster.reconcile();

    assertThat(cluster.status.abort).isNull();
    assertThat(cluster.status.phase).isEqualTo(RolloutPhase.Progressing);
    assertThat(cluster.status.currentStepIndex).isEqualTo(2);
  }

  static Stream<Arguments> longPauses() {
    return Stream.of(
        arguments(
            "promote after an hour at a pause without duration",
            (Consumer<RolloutSpec>) s -> {},
            (Consumer<Cluster>)
                c -> {
                  c.advance(Duration.ofHours(1));
                  c.reconcile();
                  c.status.promote = PromoteRequest.Step;
                }),
        arguments(
            "a pause of 15m ends",
            (Consumer<RolloutSpec>)
                s -> s.strategy.canary.steps.set(1, pauseStep(new IntOrString("15m"))),
            (Consumer<Cluster>) c -> c.advance(Duration.ofMinutes(15))),
        arguments(
            "held by spec.paused for an hour, then resumed",
            (Consumer<RolloutSpec>) s -> {},
            (Consumer<Cluster>)
                c -> {
                  c.spec.paused = true;
                  c.status.promote = PromoteRequest.Step;
                  c.reconcile();
                  c.advance(Duration.ofHours(1));
                  c.reconcile();
                  c.spec.paused = false;
                }));
  }

  // ---------------------------------------------------------------------------------------------
  // Without traffic routing: the pods are the weight

  static RolloutSpec basicSpec(int replicas, String surge, String unavailable, int... weights) {
    var spec = classicSpec();
    spec.replicas = replicas;
    spec.strategy.canary.trafficRouting = null;
    spec.strategy.canary.stableService = null;
    spec.strategy.canary.canaryService = null;
    spec.strategy.canary.maxSurge = intOrPercent(surge);
    spec.strategy.canary.maxUnavailable = intOrPercent(unavailable);
    var steps = new ArrayList<CanaryStep>();
    for (int w : weights) {
      steps.add(weightStep(w));
      steps.add(pauseStep(null));
    }
    spec.strategy.canary.steps = steps;
    return spec;
  }

  @ParameterizedTest(name = "{0} replicas, maxSurge {1}, maxUnavailable {2}, weights {3}")
  @CsvSource({
    "4,  1,   0,   50",
    "5,  25%, 25%, 20 60",
    "10, 0,   2,   30 70",
    "10, 3,   1,   10 50 90",
    "3,  1,   1,   34",
    "1,  1,   0,   50",
    "6,  50%, 0%,  50",
  })
  void aBasicCanaryTradesPodsWithinSurgeAndUnavailable(
      int replicas, String surge, String unavailable, String weights) {
    int[] ws = Stream.of(weights.split(" ")).mapToInt(Integer::parseInt).toArray();
    var spec = basicSpec(replicas, surge, unavailable, ws);
    int maxSurge = ReplicaArithmetic.resolve(intOrPercent(surge), replicas, 25, true);
    int maxUnavailable = ReplicaArithmetic.resolve(intOrPercent(unavailable), replicas, 25, false);
    var cluster = new Cluster(spec, V1).reconcile();
    cluster.afterEachPass =
        c -> {
          int pods = c.revisions.values().stream().mapToInt(Revision::replicas).sum();
          int available = c.revisions.values().stream().mapToInt(Revision::availableReplicas).sum();
          if (pods > replicas + maxSurge) {
            c.violations.add(pods + " pods > replicas + maxSurge at " + c.revisions.values());
          }
          if (available < replicas - maxUnavailable) {
            c.violations.add(
                available + " available < replicas - maxUnavailable at " + c.revisions.values());
          }
        };

    cluster.template = V2;
    cluster.reconcile();
    for (int i = 0; i < ws.length; i++) {
      int canary = ReplicaArithmetic.canaryReplicas(replicas, ws[i]);
      assertThat(cluster.status.currentStepIndex).isEqualTo(2 * i + 1);
      assertThat(cluster.status.phase).isEqualTo(RolloutPhase.Paused);
      assertThat(cluster.status.currentWeight).isEqualTo(ws[i]);
      assertThat(cluster.replicas(V2)).as("canary at %s%%", ws[i]).isEqualTo(canary);
      assertThat(cluster.replicas(V1)).as("stable at %s%%", ws[i]).isEqualTo(replicas - canary);
      assertThat(cluster.status.verifiedWeight)
          .as("the pods' share")
          .isEqualTo(Math.round(100f * canary / replicas));
      cluster.status.promote = PromoteRequest.Step;
      cluster.reconcile();
    }

    assertThat(cluster.status.phase).isEqualTo(RolloutPhase.Healthy);
    assertThat(cluster.status.stableRS).isEqualTo(V2);
    assertThat(cluster.replicas(V2)).isEqualTo(replicas);
    assertThat(cluster.replicas(V1)).isZero();
    assertThat(cluster.violations).isEmpty();
    assertThat(cluster.actions()).noneMatch(a -> a instanceof SetWeight || a instanceof Pin);
  }

  @Test
  void aBasicCanaryWithSurgeAndUnavailableRoundedToZeroStillMoves() {
    var cluster = new Cluster(basicSpec(3, "0%", "25%", 34), V1).reconcile();

    cluster.template = V2;
    cluster.reconcile();

    assertThat(cluster.status.currentStepIndex).isEqualTo(1);
    assertThat(cluster.replicas(V2)).isEqualTo(2);
  }

  // ---------------------------------------------------------------------------------------------
  // revisionHistoryLimit

  @ParameterizedTest(name = "limit {0}, {1} old revisions at 0 -> delete {2}")
  @CsvSource(
      value = {
        "3,    4,  r1",
        "3,    3,  ''",
        "1,    4,  r1 r2 r3",
        "0,    2,  r1 r2",
        "null, 12, r1 r2",
        "null, 10, ''",
      },
      nullValues = "null")
  void revisionHistoryLimitPrunesTheOldestRevisionsAtZero(Integer limit, int old, String deleted) {
    var spec = classicSpec();
    spec.revisionHistoryLimit = limit;
    var revisions = new ArrayList<Revision>();
    IntStream.rangeClosed(1, old).forEach(i -> revisions.add(ready("r" + i, 0, i)));
    // Older still, but with pods: a revision scaling down, one whose pods are still terminating.
    revisions.add(scalingDown("busy", 2, 0, NOW.plusSeconds(10)));
    revisions.add(new Revision("ending", "checkout-ending", 0, 1, 0, 0, 0, null));
    revisions.add(ready(V1, 5, 100));

    var plan =
        plan(
            spec,
            status(V1, V1, 6, 0),
            seen(V1, traffic(0, V1, V1), revisions.toArray(Revision[]::new)));

    var expected =
        deleted.isEmpty()
            ? List.<Action>of()
            : Stream.of(deleted.split(" ")).<Action>map(DeleteRevision::new).toList();
    assertThat(plan.actions()).containsExactlyInAnyOrderElementsOf(expected);
    assertThat(plan.status().phase).isEqualTo(RolloutPhase.Healthy);
  }

  @Test
  void aNegativeRevisionHistoryLimitIsAnInvalidSpec() {
    var spec = classicSpec();
    spec.revisionHistoryLimit = -1;

    var plan =
        plan(
            spec,
            status(V1, V1, 6, 0),
            seen(V1, traffic(0, V1, V1), ready(V1, 5, 1), ready("r1", 0, 0)));

    assertThat(plan.actions()).isEmpty();
    assertThat(plan.status().message).contains("spec.revisionHistoryLimit");
    assertThat(condition(plan.status(), StatusConditions.INVALID_SPEC)).isEqualTo("True");
  }

  // ---------------------------------------------------------------------------------------------
  // Settled: nothing to do, nothing to write

  static Stream<Arguments> settled() {
    Instant soon = NOW.plusSeconds(20);
    var invalid = classicSpec();
    invalid.strategy.canary.steps.get(2).setWeight = 120;
    var userPaused = classicSpec();
    userPaused.paused = true;
    var deadline = classicSpec();
    deadline.progressDeadlineSeconds = 60;
    return Stream.of(
        settled(
            "healthy on v1",
            classicSpec(),
            status(V1, V1, 6, 0),
            seen(V1, traffic(0, V1, V1), ready(V1, 5, 1), ready("v0", 0, 0))),
        settled(
            "paused at step 1, waiting for promote",
            classicSpec(),
            paused(status(V1, V2, 1, 10), NOW.minusSeconds(60)),
            seen(V2, traffic(10, V1, V2), ready(V1, 5, 1), ready(V2, 1, 2))),
        settled(
            "paused at step 3 with 90s left",
            classicSpec(),
            paused(status(V1, V2, 3, 30), NOW.minusSeconds(30)),
            seen(V2, traffic(30, V1, V2), ready(V1, 5, 1), ready(V2, 2, 2))),
        settled(
            "held by spec.paused at step 2",
            userPaused,
            status(V1, V2, 2, 10),
            seen(V2, traffic(10, V1, V2), ready(V1, 5, 1), ready(V2, 1, 2))),
        settled(
            "aborted, canary gone",
            classicSpec(),
            aborted(status(V1, V2, 2, 0), NOW.minusSeconds(600)),
            seen(V2, traffic(0, V1, V1), ready(V1, 5, 1), ready(V2, 0, 2))),
        settled(
            "aborted, canary scale-down due in 20s",
            classicSpec(),
            aborted(status(V1, V2, 2, 0), NOW.minusSeconds(10)),
            seen(V2, traffic(0, V1, V1), ready(V1, 5, 1), scalingDown(V2, 1, 2, soon))),
        settled(
            "invalid spec",
            invalid,
            status(V1, V2, 2, 10),
            seen(V2, traffic(10, V1, V2), ready(V1, 5, 1), ready(V2, 1, 2))),
        settled(
            "stalled past the progress deadline",
            deadline,
            progressedAt(status(V1, V2, 2, 10), NOW.minusSeconds(3600)),
            seen(V2, traffic(10, V1, V2), ready(V1, 5, 1), unready(V2, 2, 2))),
        settled(
            "promoted, old stable due to go in 20s",
            classicSpec(),
            status(V2, V2, 6, 0),
            seen(V2, traffic(0, V2, V2), scalingDown(V1, 5, 1, soon), ready(V2, 5, 2))),
        settled(
            "basic canary paused at 50 %",
            basicSpec(4, "1", "0", 50),
            paused(status(V1, V2, 1, 50), NOW.minusSeconds(60)),
            new Observation(
                NOW, V2, revisions(ready(V1, 2, 1), ready(V2, 2, 2)), TrafficState.none())));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("settled")
  void aSettledStatusYieldsNoActionAndTheSameStatus(
      String what, RolloutSpec spec, RolloutStatus given, Observation seen) {
    var own = plan(spec, counted(given, seen), seen);

    var again = plan(spec, own.status(), seen);
    var third = plan(spec, again.status(), seen);

    assertThat(own.actions()).as("nothing to do").isEmpty();
    assertThat(again.actions()).isEmpty();
    assertThat(again.events()).isEmpty();
    assertThat(json(again.status())).isEqualTo(json(own.status()));
    assertThat(json(third.status())).isEqualTo(json(own.status()));
    assertThat(again.requeueAfter()).isEqualTo(own.requeueAfter());
  }

  // ---------------------------------------------------------------------------------------------
  // Stories: many passes against a cluster in miniature

  @Test
  void givenStableV1WhenV2IsReleasedThenTrafficMovesStepByStepAndV1GoesLast() {
    var cluster = new Cluster(classicSpec(), V1).reconcile();

    cluster.template = V2;
    cluster.reconcile();
    assertThat(cluster.status.currentStepIndex).isEqualTo(1);
    assertThat(cluster.status.phase).isEqualTo(RolloutPhase.Paused);
    assertThat(cluster.weight).isEqualTo(10);
    assertThat(cluster.replicas(V2)).isEqualTo(1);
    assertThat(cluster.pins)
        .containsEntry(Side.STABLE, Set.of(V1))
        .containsEntry(Side.CANARY, Set.of(V2));
    assertThat(cluster.events)
        .extracting(e -> e.reason().name())
        .containsExactly("NewRevision", "WeightSet");

    cluster.status.promote = PromoteRequest.Step;
    cluster.reconcile();
    assertThat(cluster.status.currentStepIndex).isEqualTo(3);
    assertThat(cluster.weight).isEqualTo(30);
    assertThat(cluster.replicas(V2)).isEqualTo(2);
    assertThat(cluster.last.requeueAfter()).contains(Duration.ofMinutes(2));

    cluster.advance(Duration.ofMinutes(2));
    cluster.reconcile();
    assertThat(cluster.status.currentStepIndex).isEqualTo(5);
    assertThat(cluster.weight).isEqualTo(60);
    assertThat(cluster.replicas(V2)).isEqualTo(3);

    cluster.advance(Duration.ofMinutes(2));
    Instant promotedAt = cluster.now;
    cluster.reconcile();
    assertThat(cluster.status.stableRS).isEqualTo(V2);
    assertThat(cluster.status.phase).isEqualTo(RolloutPhase.Healthy);
    assertThat(cluster.pins)
        .containsEntry(Side.STABLE, Set.of(V2))
        .containsEntry(Side.CANARY, Set.of(V2));
    assertThat(cluster.replicas(V1)).as("v1 keeps its pods for 30s").isEqualTo(5);
    assertThat(cluster.last.requeueAfter()).contains(Duration.ofSeconds(30));

    cluster.advance(Duration.ofSeconds(30));
    cluster.reconcile();
    assertThat(cluster.replicas(V1)).isZero();
    assertThat(condition(cluster.status, StatusConditions.COMPLETED)).isEqualTo("True");

    var log = cluster.actions();
    int full = log.indexOf(new SetWeight(100));
    int pin = log.indexOf(new Pin(Side.STABLE, V2));
    int schedule = log.indexOf(new ScaleRevision(V1, 5, promotedAt.plusSeconds(30)));
    int gone = log.indexOf(new ScaleRevision(V1, 0, null));
    assertThat(List.of(full, pin, schedule, gone)).doesNotContain(-1).isSorted();
    assertThat(cluster.log.get(gone).at()).isEqualTo(promotedAt.plusSeconds(30));
    assertThat(log)
        .filteredOn(a -> a instanceof ScaleRevision s && s.hash().equals(V1))
        .containsExactly(
            new ScaleRevision(V1, 5, promotedAt.plusSeconds(30)), new ScaleRevision(V1, 0, null));
    assertThat(cluster.events)
        .extracting(e -> e.reason().name())
        .containsExactly(
            "NewRevision", "WeightSet", "StepPromoted", "WeightSet", "WeightSet", "Promoted");
    assertThat(cluster.violations).isEmpty();
  }

  @Test
  void givenV2At30PercentWhenAbortedThenRetriedItStartsOverAtStepZero() {
    var cluster = v2At30Percent();

    cluster.advance(Duration.ofSeconds(10));
    Instant abortedAt = cluster.now;
    cluster.status.abort = true;
    cluster.reconcile();
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

    cluster.status.abort = null;
    cluster.reconcile();
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

  /** A cluster with v2 released up to 30 % (step 3, paused for 2m). */
  private static Cluster v2At30Percent() {
    var cluster = new Cluster(classicSpec(), V1).reconcile();
    cluster.template = V2;
    cluster.reconcile();
    cluster.status.promote = PromoteRequest.Step;
    cluster.reconcile();
    assertThat(cluster.weight).isEqualTo(30);
    cluster.events.clear();
    cluster.log.clear();
    return cluster;
  }

  @Test
  void givenV2At30PercentWhenV3IsAppliedThenV3StartsOverAndV2Goes() {
    var cluster = v2At30Percent();

    cluster.advance(Duration.ofSeconds(5));
    cluster.template = V3;
    cluster.reconcile();

    assertThat(cluster.status.currentPodHash).isEqualTo(V3);
    assertThat(cluster.status.currentStepIndex).isEqualTo(1);
    assertThat(cluster.status.phase).isEqualTo(RolloutPhase.Paused);
    assertThat(cluster.weight).isEqualTo(10);
    assertThat(cluster.pins)
        .containsEntry(Side.STABLE, Set.of(V1))
        .containsEntry(Side.CANARY, Set.of(V3));
    assertThat(cluster.replicas(V3)).isEqualTo(1);
    assertThat(cluster.replicas(V1)).as("stable untouched").isEqualTo(5);
    assertThat(cluster.actions())
        .startsWith(new SetWeight(0), new Pin(Side.CANARY, V3))
        .noneMatch(a -> a instanceof ScaleRevision s && s.hash().equals(V1));
    assertThat(cluster.events)
        .extracting(e -> e.reason().name())
        .containsExactly("Superseded", "NewRevision", "WeightSet");

    cluster.advance(Duration.ofSeconds(30));
    cluster.reconcile();
    assertThat(cluster.replicas(V2)).isZero();
    assertThat(cluster.violations).isEmpty();
  }

  @Test
  void givenV2At30PercentWhenGitRevertsToV1ThenTrafficGoesBackAtOnceWithoutSteps() {
    var cluster = v2At30Percent();

    cluster.template = V1;
    cluster.reconcile();

    assertThat(cluster.status.phase).isEqualTo(RolloutPhase.Healthy);
    assertThat(cluster.status.currentPodHash).isEqualTo(V1);
    assertThat(cluster.status.currentWeight).isZero();
    assertThat(cluster.weight).isZero();
    assertThat(cluster.pins)
        .containsEntry(Side.STABLE, Set.of(V1))
        .containsEntry(Side.CANARY, Set.of(V1));
    assertThat(cluster.actions())
        .containsExactly(
            new SetWeight(0),
            new Pin(Side.CANARY, V1),
            new ScaleRevision(V2, 2, NOW.plusSeconds(30)));
    assertThat(cluster.events).extracting(e -> e.reason().name()).containsExactly("RolledBack");
    assertThat(cluster.violations).isEmpty();
  }

  @Test
  void aLowerWeightMovesTrafficBeforeTheCanaryShrinks() {
    var spec = classicSpec();
    spec.strategy.canary.steps =
        steps(weightStep(60), pauseStep(null), weightStep(20), pauseStep(null));
    var cluster = new Cluster(spec, V1).reconcile();
    cluster.template = V2;
    cluster.reconcile();
    assertThat(cluster.weight).isEqualTo(60);

    cluster.status.promote = PromoteRequest.Step;
    cluster.reconcile();

    assertThat(cluster.weight).isEqualTo(20);
    assertThat(cluster.replicas(V2)).isEqualTo(1);
    assertThat(cluster.violations).isEmpty();
  }

  // ---------------------------------------------------------------------------------------------
  // Helpers

  private static void expect(
      Plan plan,
      List<Action> actions,
      RolloutPhase phase,
      int step,
      Integer weight,
      List<String> events) {
    assertThat(plan.actions()).as("actions").containsExactlyElementsOf(actions);
    assertThat(plan.status().phase).as("phase (%s)", plan.status().message).isEqualTo(phase);
    assertThat(plan.status().currentStepIndex).as("step").isEqualTo(step);
    if (weight != null) {
      assertThat(plan.status().currentWeight).as("weight").isEqualTo(weight);
    }
    assertThat(plan.events())
        .extracting(e -> e.reason().name())
        .as("events")
        .containsExactlyElementsOf(events);
    assertThat(plan.status().observedGeneration).isEqualTo(GENERATION);
  }

  /**
   * A row of a table: the status the planner is given and what it sees, then the actions, phase,
   * step, weight (null: not checked) and event reasons expected of it. Named by {@code what}.
   */
  record Pass(
      String what,
      RolloutStatus given,
      Observation seen,
      List<Action> actions,
      RolloutPhase phase,
      int step,
      Integer weight,
      String... events) {
    @Override
    public String toString() {
      return what;
    }
  }

  /** Plans on the classic spec. */
  private Plan plan(RolloutStatus given, Observation seen) {
    return plan(classicSpec(), given, seen);
  }

  private Plan plan(RolloutSpec spec, RolloutStatus given, Observation seen) {
    return planner.plan(spec, GENERATION, given, seen);
  }

  /** Plans the pass on the classic spec and checks what every pass checks. */
  private Plan planAndExpect(Pass pass) {
    var plan = plan(pass.given(), pass.seen());
    expect(plan, pass.actions(), pass.phase(), pass.step(), pass.weight(), List.of(pass.events()));
    return plan;
  }

  private static Arguments settled(
      String what, RolloutSpec spec, RolloutStatus given, Observation seen) {
    return arguments(what, spec, given, seen);
  }

  private static RolloutStatus status(String stable, String current, int step, int weight) {
    return PlannerFixtures.status(stable, current, step, weight);
  }

  private static RolloutStatus verified(RolloutStatus status, Integer weight) {
    status.verifiedWeight = weight;
    return status;
  }

  private static RolloutStatus paused(RolloutStatus status, Instant since) {
    status.pauseConditions.add(new PauseCondition(PAUSE_STEP, since.toString()));
    status.progressedAt = since.toString();
    return status;
  }

  private static RolloutStatus aborted(RolloutStatus status, Instant at) {
    status.abort = true;
    status.abortedAt = at == null ? null : at.toString();
    return status;
  }

  private static RolloutStatus progressedAt(RolloutStatus status, Instant at) {
    status.progressedAt = at.toString();
    return status;
  }

  private static RolloutStatus promoted(RolloutStatus status, PromoteRequest request) {
    status.promote = request;
    return status;
  }

  /** The pod counts the planner itself writes, so that they alone do not count as progress. */
  private static RolloutStatus counted(RolloutStatus status, Revision... revisions) {
    status.replicas = Stream.of(revisions).mapToInt(Revision::currentReplicas).sum();
    status.readyReplicas = Stream.of(revisions).mapToInt(Revision::readyReplicas).sum();
    status.availableReplicas = Stream.of(revisions).mapToInt(Revision::availableReplicas).sum();
    return status;
  }

  private static RolloutStatus counted(RolloutStatus status, Observation seen) {
    return counted(status, seen.revisions().values().toArray(Revision[]::new));
  }

  private static Observation seen(String template, TrafficState traffic, Revision... revisions) {
    return seenAt(NOW, template, traffic, revisions);
  }

  private static Observation seenAt(
      Instant now, String template, TrafficState traffic, Revision... revisions) {
    return new Observation(now, template, revisions(revisions), traffic);
  }

  private static Revision scalingDown(String hash, int replicas, long number, Instant at) {
    return new Revision(
        hash, "checkout-" + hash, replicas, replicas, replicas, replicas, number, at);
  }

  private static List<CanaryStep> steps(CanaryStep... steps) {
    return new ArrayList<>(List.of(steps));
  }

  private static CanaryStep weightStep(int weight) {
    var step = new CanaryStep();
    step.setWeight = weight;
    return step;
  }

  private static CanaryStep pauseStep(IntOrString duration) {
    var step = new CanaryStep();
    step.pause = new RolloutPause();
    step.pause.duration = duration;
    return step;
  }

  private static CanaryStep scaleStep(int replicas) {
    var step = new CanaryStep();
    step.setCanaryScale = new dev.weir.api.v1alpha1.SetCanaryScale();
    step.setCanaryScale.replicas = replicas;
    return step;
  }

  private static IntOrString intOrPercent(String value) {
    return value.endsWith("%") ? new IntOrString(value) : new IntOrString(Integer.parseInt(value));
  }

  private static String condition(RolloutStatus status, String type) {
    return conditionOf(status, type).getStatus();
  }

  private static String reasonOf(RolloutStatus status, String type) {
    return conditionOf(status, type).getReason();
  }

  private static Condition conditionOf(RolloutStatus status, String type) {
    return status.conditions.stream()
        .filter(c -> type.equals(c.getType()))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no condition " + type));
  }

  private static JsonNode json(RolloutStatus status) {
    return Serialization.jsonMapper().valueToTree(status);
  }

  /** An action and the time it was carried out. */
  record Logged(Instant at, Action action) {}

  /**
   * A cluster in miniature: ReplicaSets, a weight and two pinned sides that the planner's actions
   * change, and a kubelet that makes pods available before the next look (or never). It plans pass
   * after pass, as the reconciler does, until nothing changes, and records as a violation any
   * weight written for a canary without the pods to carry it and any canary pods taken away while
   * their traffic still flows.
   */
  static final class Cluster {
    final RolloutSpec spec;
    final boolean routed;
    Instant now = NOW;
    String template;
    RolloutStatus status;
    Integer weight;
    boolean podsStart = true;
    final Map<String, Revision> revisions = new HashMap<>();
    final Map<Side, Set<String>> pins = new EnumMap<>(Side.class);
    final List<Logged> log = new ArrayList<>();
    final List<RolloutEvent> events = new ArrayList<>();
    final List<String> violations = new ArrayList<>();

    /** The rollout's AnalysisRuns by name; a test decides their verdicts. */
    final Map<String, AnalysisRunView> runs = new HashMap<>();

    List<dev.weir.api.v1alpha1.SpecProblem> analysisProblems = List.of();
    Consumer<Cluster> afterEachPass = c -> {};
    Plan last;

    Cluster(RolloutSpec spec, String template) {
      this.spec = spec;
      this.template = template;
      this.routed =
          spec.strategy.blueGreen != null
              ? spec.strategy.blueGreen.trafficRouting != null
              : spec.strategy.canary.trafficRouting != null;
      if (routed || spec.strategy.blueGreen != null) {
        // Fresh Services without a hash in their selector, a VirtualService all on stable.
        weight = routed ? 0 : null;
        pins.put(Side.STABLE, Set.of(""));
        pins.put(Side.CANARY, Set.of(""));
      }
    }

    Cluster reconcile() {
      var planner = new ReleasePlanner();
      for (int pass = 0; pass < 200; pass++) {
        var observed =
            new Observation(
                now,
                template,
                Map.copyOf(revisions),
                new TrafficState(weight, Map.copyOf(pins), List.of()),
                new Observation.AnalysisObservation(
                    "checkout", Map.copyOf(runs), analysisProblems));
        last = planner.plan(spec, 1, status, observed);
        last.actions().forEach(this::apply);
        events.addAll(last.events());
        afterEachPass.accept(this);
        kubelet();
        boolean settled = last.actions().isEmpty() && json(last.status()).equals(json(status));
        status = last.status();
        if (settled) {
          return this;
        }
      }
      throw new AssertionError("not settled after 200 passes: " + log);
    }

    void advance(Duration duration) {
      now = now.plus(duration);
    }

    /** The run of a site (step-2, background) of the current release reaches a verdict. */
    Cluster verdict(String site, AnalysisPhase phase, String message) {
      var run =
          runs.values().stream()
              .filter(r -> r.name().endsWith("-" + site) && !r.completed())
              .findFirst()
              .orElseThrow(() -> new AssertionError("no run under way at " + site + ": " + runs));
      runs.put(
          run.name(),
          new AnalysisRunView(run.name(), run.hash(), phase, message, false, run.created()));
      return this;
    }

    int replicas(String hash) {
      return Optional.ofNullable(revisions.get(hash)).map(Revision::replicas).orElse(0);
    }

    List<Action> actions() {
      return log.stream().map(Logged::action).toList();
    }

    private void apply(Action action) {
      log.add(new Logged(now, action));
      if (action instanceof CreateRevision c) {
        revisions.put(
            c.hash(),
            new Revision(
                c.hash(),
                "checkout-" + c.hash(),
                c.replicas(),
                c.replicas(),
                0,
                0,
                c.number(),
                null));
      } else if (action instanceof ScaleRevision s) {
        var r = revisions.get(s.hash());
        assertThat(r).as("scaled revision %s exists", s.hash()).isNotNull();
        int carrying = weight == null ? 0 : ReplicaArithmetic.canaryReplicas(replicas(), weight);
        if (routed
            && s.hash().equals(canaryHash())
            && !s.hash().equals(stableHash())
            && s.replicas() < Math.min(r.replicas(), carrying)) {
          violations.add(
              "canary " + s.hash() + " shrunk to " + s.replicas() + " pods at weight " + weight);
        }
        revisions.put(
            s.hash(),
            new Revision(
                r.hash(),
                r.name(),
                s.replicas(),
                s.replicas(),
                Math.min(r.readyReplicas(), s.replicas()),
                Math.min(r.availableReplicas(), s.replicas()),
                r.number(),
                s.scaleDownAt()));
      } else if (action instanceof Action.StartAnalysis a) {
        runs.putIfAbsent(
            a.name(),
            new AnalysisRunView(a.name(), a.canaryHash(), AnalysisPhase.Pending, null, false, now));
      } else if (action instanceof Action.TerminateAnalysis t) {
        var run = runs.get(t.name());
        runs.put(
            t.name(),
            new AnalysisRunView(
                t.name(),
                run.hash(),
                run.completed() ? run.phase() : AnalysisPhase.Successful,
                "terminated: " + t.reason(),
                true,
                run.created()));
      } else if (action instanceof Action.DeleteAnalysis d) {
        runs.remove(d.name());
      } else if (action instanceof DeleteRevision d) {
        revisions.remove(d.hash());
      } else if (action instanceof Pin p) {
        pins.put(p.side(), Set.of(p.hash()));
      } else if (action instanceof SetWeight w) {
        String canary = canaryHash();
        int needed = ReplicaArithmetic.canaryReplicas(replicas(), w.canaryWeight());
        int available =
            Optional.ofNullable(revisions.get(canary)).map(Revision::availableReplicas).orElse(0);
        if (w.canaryWeight() > 0 && !canary.equals(stableHash()) && available < needed) {
          violations.add(
              w.canaryWeight() + "% written for " + canary + " with " + available + " pods");
        }
        weight = w.canaryWeight();
      }
    }

    private void kubelet() {
      if (!podsStart) {
        return;
      }
      revisions.replaceAll(
          (hash, r) ->
              new Revision(
                  hash,
                  r.name(),
                  r.replicas(),
                  r.replicas(),
                  r.replicas(),
                  r.replicas(),
                  r.number(),
                  r.scaleDownAt()));
    }

    private int replicas() {
      return spec.replicas == null ? 1 : spec.replicas;
    }

    private String canaryHash() {
      return pins.getOrDefault(Side.CANARY, Set.of("")).iterator().next();
    }

    private String stableHash() {
      return pins.getOrDefault(Side.STABLE, Set.of("")).iterator().next();
    }
  }
}
