package dev.weir.rollout.plan;

import java.time.Instant;
import java.util.Map;

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
 * @param templateLabels the labels of the ReplicaSet's pod template (a blue-green side's among
 *     them)
 * @param templateAnnotations the annotations of the ReplicaSet's pod template
 */
public record Revision(
    String hash,
    String name,
    int replicas,
    int currentReplicas,
    int readyReplicas,
    int availableReplicas,
    long number,
    Instant scaleDownAt,
    Map<String, String> templateLabels,
    Map<String, String> templateAnnotations) {

  /** A revision whose pod template carries no metadata Weir looks at. */
  public Revision(
      String hash,
      String name,
      int replicas,
      int currentReplicas,
      int readyReplicas,
      int availableReplicas,
      long number,
      Instant scaleDownAt) {
    this(
        hash,
        name,
        replicas,
        currentReplicas,
        readyReplicas,
        availableReplicas,
        number,
        scaleDownAt,
        Map.of(),
        Map.of());
  }

  /** All desired pods exist and are available. */
  public boolean isAvailable(int desired) {
    return replicas == desired && availableReplicas >= desired;
  }
}
