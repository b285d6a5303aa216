package dev.weir.rollout;

import dev.weir.api.v1alpha1.Rollout;
import dev.weir.rollout.plan.Workload;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.Optional;

/**
 * A rollout whose spec.workloadRef names a Deployment, seen as the rollout it stands for: the
 * Deployment's pod template in spec.template, so that revisions, hashes and ReplicaSets follow it
 * exactly as they follow a template of the rollout's own. Without the Deployment the reference
 * stays, and the planner reports it as InvalidSpec.
 */
final class WorkloadTemplate {

  private WorkloadTemplate() {}

  static Rollout resolve(Rollout rollout, Optional<Deployment> deployment) {
    var spec = rollout.getSpec();
    if (spec == null || spec.workloadRef == null || deployment.isEmpty()) {
      return rollout;
    }
    Rollout resolved = Serialization.clone(rollout);
    resolved.getSpec().template = Serialization.clone(deployment.get().getSpec().getTemplate());
    resolved.getSpec().workloadRef = null;
    return resolved;
  }

  /** What the planner needs of the Deployment, or null when the rollout has none. */
  static Workload observe(Rollout rollout, Optional<Deployment> deployment) {
    var ref = rollout.getSpec() == null ? null : rollout.getSpec().workloadRef;
    if (ref == null || deployment.isEmpty()) {
      return null;
    }
    var d = deployment.get();
    Integer replicas = d.getSpec().getReplicas();
    Integer available = d.getStatus() == null ? null : d.getStatus().getAvailableReplicas();
    return new Workload(
        ref.name,
        ref.scaleDownOrDefault(),
        replicas == null ? 1 : replicas,
        available == null ? 0 : available);
  }
}
