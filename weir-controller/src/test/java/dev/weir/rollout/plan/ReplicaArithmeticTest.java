package dev.weir.rollout.plan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.rollout.plan.ReplicaArithmetic.Side;
import dev.weir.rollout.plan.ReplicaArithmetic.Step;
import io.fabric8.kubernetes.api.model.IntOrString;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Replica counts of a canary, worked through as tables. */
class ReplicaArithmeticTest {

  @ParameterizedTest(name = "{0} replicas at {1}% -> {2} canary pods")
  @CsvSource({
    "5,  10,  1",
    "5,  30,  2",
    "5,  60,  3",
    "5,  0,   0",
    "5,  100, 5",
    "5,  1,   1",
    "10, 25,  3",
    "10, 30,  3",
    "3,  33,  1",
    "3,  34,  2",
    "1,  1,   1",
    "0,  50,  0",
    "7,  99,  7",
  })
  void canaryReplicasRoundUp(int replicas, int weight, int canary) {
    assertThat(ReplicaArithmetic.canaryReplicas(replicas, weight)).isEqualTo(canary);
  }

  @ParameterizedTest(name = "{0} of {1} replicas, round up={2} -> {3}")
  @CsvSource({
    "3,    5,  true,  3",
    "3,    5,  false, 3",
    "0,    5,  true,  0",
    "25%,  5,  true,  2",
    "25%,  5,  false, 1",
    "50%,  5,  true,  3",
    "50%,  5,  false, 2",
    "10%,  4,  true,  1",
    "10%,  4,  false, 0",
    "100%, 4,  true,  4",
    "0%,   4,  true,  0",
    "25%,  4,  false, 1",
    "25%,  1,  true,  1",
    "25%,  1,  false, 0",
  })
  void resolvesNumbersAndPercentages(String value, int replicas, boolean roundUp, int expected) {
    IntOrString given =
        value.endsWith("%") ? new IntOrString(value) : new IntOrString(Integer.parseInt(value));

    assertThat(ReplicaArithmetic.resolve(given, replicas, 50, roundUp)).isEqualTo(expected);
  }

  @ParameterizedTest(name = "unset, {0} replicas, round up={1} -> 25% = {2}")
  @CsvSource({
    "5, true, 2",
    "5, false, 1",
    "4, true, 1",
    "4, false, 1",
    "1, true, 1",
    "1, false, 0"
  })
  void anUnsetValueIsTheFallbackPercentage(int replicas, boolean roundUp, int expected) {
    assertThat(ReplicaArithmetic.resolve(null, replicas, 25, roundUp)).isEqualTo(expected);
  }

  @ParameterizedTest(
      name = "{0} replicas, surge {1}, unavailable {2}: {3}/{4} -> {5}/{6} (stable/canary)")
  @CsvSource({
    // replicas, surge, unavailable, from stable, from canary, to stable, to canary
    "4,  1, 0, 4,  0,  2,  2",
    "4,  0, 1, 4,  0,  2,  2",
    "5,  2, 1, 5,  0,  4,  1",
    "5,  2, 1, 4,  1,  2,  3",
    "5,  1, 1, 2,  3,  0,  5",
    "10, 3, 2, 10, 0,  7,  3",
    "10, 0, 2, 10, 0,  0,  10",
    "10, 1, 0, 10, 0,  0,  10",
    "1,  1, 0, 1,  0,  0,  1",
    "1,  0, 1, 1,  0,  0,  1",
    "3,  1, 1, 1,  2,  3,  0",
    "4,  1, 0, 2,  2,  4,  0",
    "6,  2, 2, 3,  3,  3,  3",
  })
  void aRollingTradeStaysWithinSurgeAndUnavailable(
      int replicas,
      int surge,
      int unavailable,
      int fromStable,
      int fromCanary,
      int toStable,
      int toCanary) {
    var stable = new Side(fromStable, fromStable);
    var canary = new Side(fromCanary, fromCanary);
    var trail = new ArrayList<String>(List.of(fromStable + "/" + fromCanary));
    int bound = 2 * replicas + 2;

    while (stable.replicas() != toStable || canary.replicas() != toCanary) {
      assertThat(trail).as("steps taken").hasSizeLessThanOrEqualTo(bound);
      Step next =
          ReplicaArithmetic.next(replicas, surge, unavailable, stable, canary, toStable, toCanary);
      trail.add(next.stable() + "/" + next.canary());
      checkBounds(replicas, surge, unavailable, stable, canary, next, trail);
      assertThat(towards(stable.replicas(), next.stable(), toStable))
          .as("stable moves towards its target: %s", trail)
          .isTrue();
      assertThat(towards(canary.replicas(), next.canary(), toCanary))
          .as("canary moves towards its target: %s", trail)
          .isTrue();
      // The kubelet: every pod asked for is up and available before the next look.
      stable = new Side(next.stable(), next.stable());
      canary = new Side(next.canary(), next.canary());
    }

    assertThat(
            ReplicaArithmetic.next(
                replicas, surge, unavailable, stable, canary, toStable, toCanary))
        .as("at the targets nothing moves")
        .isEqualTo(new Step(toStable, toCanary));
  }

  @ParameterizedTest(name = "{0} replicas, surge {1}, unavailable {2}: {3}")
  @CsvSource({
    // The worked example of the class comment: surge first, then a stable pod, and so on.
    "4, 1, 0, 4/0 4/1 3/1 3/2 2/2",
    "4, 0, 1, 4/0 3/0 3/1 2/1 2/2",
    "4, 1, 1, 4/0 3/1 2/2",
    "5, 2, 1, 5/0 4/2 3/2",
  })
  void theTradeGoesThroughTheseCounts(int replicas, int surge, int unavailable, String counts) {
    var expected = List.of(counts.split(" "));
    int toStable = replicas - Integer.parseInt(expected.get(expected.size() - 1).split("/")[1]);
    int toCanary = replicas - toStable;
    var stable = new Side(replicas, replicas);
    var canary = new Side(0, 0);
    var trail = new ArrayList<String>(List.of(replicas + "/0"));

    while (trail.size() < expected.size()) {
      Step next =
          ReplicaArithmetic.next(replicas, surge, unavailable, stable, canary, toStable, toCanary);
      trail.add(next.stable() + "/" + next.canary());
      stable = new Side(next.stable(), next.stable());
      canary = new Side(next.canary(), next.canary());
    }

    assertThat(trail).isEqualTo(expected);
  }

  @ParameterizedTest(name = "{0} replicas, surge {1}, unavailable {2}: a full swap, slow pods")
  @CsvSource({"4, 1, 0", "4, 0, 1", "5, 2, 1", "10, 3, 2", "10, 0, 3", "3, 1, 1", "1, 1, 0"})
  void slowPodsNeverBreakTheBounds(int replicas, int surge, int unavailable) {
    var stable = new Side(replicas, replicas);
    var canary = new Side(0, 0);
    var trail = new ArrayList<String>(List.of(replicas + "/0"));
    int bound = 4 * replicas + 4;

    while (stable.replicas() != 0 || canary.available() != replicas) {
      assertThat(trail).as("looks").hasSizeLessThanOrEqualTo(bound);
      Step next = ReplicaArithmetic.next(replicas, surge, unavailable, stable, canary, 0, replicas);
      trail.add(next.stable() + "/" + next.canary());
      checkBounds(replicas, surge, unavailable, stable, canary, next, trail);
      // The kubelet: of the pods that are up, one more per ReplicaSet is available at each look.
      stable = slowly(stable, next.stable());
      canary = slowly(canary, next.canary());
    }
  }

  private static Side slowly(Side side, int replicas) {
    int available = Math.min(side.available(), replicas);
    return new Side(replicas, Math.min(replicas, available + 1));
  }

  /** Pods never above replicas + surge, available pods never below replicas - unavailable. */
  private static void checkBounds(
      int replicas,
      int surge,
      int unavailable,
      Side stable,
      Side canary,
      Step next,
      List<String> trail) {
    assertThat(next.stable()).as("stable in %s", trail).isNotNegative();
    assertThat(next.canary()).as("canary in %s", trail).isNotNegative();
    assertThat(next.stable() + next.canary())
        .as("pods in %s", trail)
        .isLessThanOrEqualTo(replicas + surge);
    // A ReplicaSet scaled down loses its unavailable pods first; new pods are not yet available.
    int available =
        Math.min(stable.available(), next.stable()) + Math.min(canary.available(), next.canary());
    assertThat(available)
        .as("available pods in %s", trail)
        .isGreaterThanOrEqualTo(replicas - unavailable);
  }

  private static boolean towards(int from, int to, int target) {
    return from <= target ? from <= to && to <= target : target <= to && to <= from;
  }
}
