package dev.weir.rollout.plan;

import dev.weir.api.v1alpha1.RolloutSpec;
import dev.weir.api.v1alpha1.WorkloadScaleDown;
import dev.weir.traffic.Side;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Handing the service back to the Deployment a rollout took over (spec.workloadRef), when the
 * rollout is deleted; one pass at a time, each waiting for what the one before changed:
 *
 * <ol>
 *   <li>the Deployment is scaled up to the rollout's total (spec.replicas, the autoscaler's count
 *       when there is one), unless it has more; with scaleDown never it kept its own pods and is
 *       left at its count;
 *   <li>until that many of its pods are available, nothing else moves: the rollout's pods still
 *       serve;
 *   <li>the canary weight goes to 0, then each side's Services and subsets are unpinned, so that
 *       they select the Deployment's pods beside the rollout's;
 *   <li>only then is the rollout released (its finalizer taken off), and its ReplicaSets go.
 * </ol>
 *
 * <p>With a total of 5 and a Deployment at 0: scale to 5; wait while 0, 1, … 4 are available; at 5
 * unpin; release. No moment has fewer than 5 available pods behind the Services.
 */
final class HandBack {

  /** How soon to look again while waiting, should no event of the Deployment come first. */
  static final Duration WAIT = Duration.ofSeconds(5);

  private HandBack() {}

  static List<Action> plan(RolloutSpec spec, Observation observed) {
    var workload = observed.workload();
    if (workload != null) {
      int total = spec.replicas == null ? 1 : spec.replicas;
      int target =
          workload.scaleDown() == WorkloadScaleDown.never
              ? workload.replicas()
              : Math.max(workload.replicas(), total);
      if (workload.replicas() < target) {
        return List.of(new Action.ScaleWorkload(workload.name(), target));
      }
      if (workload.availableReplicas() < target) {
        return List.of();
      }
    }
    var actions = new ArrayList<Action>();
    var traffic = observed.traffic();
    if (traffic.canaryWeight() != null && traffic.canaryWeight() != 0) {
      actions.add(new Action.SetWeight(0));
    }
    for (Side side : Side.values()) {
      if (traffic.pinned(side).stream().anyMatch(hash -> !hash.isEmpty())) {
        actions.add(new Action.Unpin(side));
      }
    }
    if (actions.isEmpty()) {
      actions.add(new Action.ReleaseRollout());
    }
    return actions;
  }
}
