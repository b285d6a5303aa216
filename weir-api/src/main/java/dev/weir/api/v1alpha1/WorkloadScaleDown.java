package dev.weir.api.v1alpha1;

/**
 * What happens to the Deployment a rollout takes its pod template from. The constants are the
 * values a user writes, lower case as in the peers' manifests.
 */
public enum WorkloadScaleDown {
  /** The Deployment is left as it is: both run side by side. */
  never,
  /** The Deployment is scaled to zero once the rollout's first revision is Healthy. */
  onsuccess,
  /**
   * The Deployment gives up a pod for each of the rollout's pods that becomes available, so the
   * service never has fewer available pods than before.
   */
  progressively
}
