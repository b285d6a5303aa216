package dev.weir.rollout.plan;

import dev.weir.api.v1alpha1.WorkloadScaleDown;

/**
 * The Deployment a rollout takes its pod template from, as the reconciler saw it.
 *
 * @param name the Deployment's name
 * @param scaleDown what the rollout does to it
 * @param replicas its desired pods (spec.replicas)
 * @param availableReplicas its available pods (status)
 */
public record Workload(
    String name, WorkloadScaleDown scaleDown, int replicas, int availableReplicas) {}
