package dev.weir.rollout;

import java.time.Instant;

/**
 * One revision of a rollout as observed: its ReplicaSet, identified by pod-template hash.
 *
 * @param hash pod-template hash
 * @param name the ReplicaSet's name
 * @param replicas desired pods (ReplicaSet spec)
 * @param currentReplicas pods that exist (ReplicaSet status)
 * @param availableReplicas pods available for at least minReadySeconds
 * @param readyReplicas pods ready
 * @param number the revision number, increasing with each new template
 * @param scaleDownAt when Weir will scale it to zero, if it has decided to
 */
public record Revision(
    String hash,
    String name,
    int replicas,
    int currentReplicas,
    int readyReplicas,
    int availableReplicas,
    long number,
    Instant scaleDownAt) {

  /** All desired pods exist and are available. */
  public boolean isAvailable(int desired) {
    return replicas == desired && availableReplicas >= desired;
  }
}
