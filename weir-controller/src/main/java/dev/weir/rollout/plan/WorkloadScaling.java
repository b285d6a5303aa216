package dev.weir.rollout.plan;

import dev.weir.api.v1alpha1.RolloutPhase;
import dev.weir.api.v1alpha1.RolloutStatus;
import java.util.Optional;

/**
 * How many pods the Deployment a rollout took over keeps. It is only ever scaled down:
 *
 * <ul>
 *   <li>never: left as it is;
 *   <li>onsuccess: to 0 once the rollout is Healthy;
 *   <li>progressively: to the rollout's total less the rollout's available pods. With a total of 3
 *       and a Deployment of 3, the Deployment keeps 3, 2, 1, 0 as the rollout's pods become
 *       available 0, 1, 2, 3: the two together never have fewer than 3 available, since a pod is
 *       taken from the Deployment only once its replacement counts.
 * </ul>
 */
final class WorkloadScaling {

  private WorkloadScaling() {}

  static Optional<Action> plan(int total, RolloutStatus status, Workload workload) {
    if (workload == null) {
      return Optional.empty();
    }
    int target =
        switch (workload.scaleDown()) {
          case never -> workload.replicas();
          case onsuccess -> status.phase == RolloutPhase.Healthy ? 0 : workload.replicas();
          case progressively -> Math.max(0, total - available(status));
        };
    if (target >= workload.replicas()) {
      return Optional.empty();
    }
    return Optional.of(new Action.ScaleWorkload(workload.name(), target));
  }

  private static int available(RolloutStatus status) {
    return status.availableReplicas == null ? 0 : status.availableReplicas;
  }
}
