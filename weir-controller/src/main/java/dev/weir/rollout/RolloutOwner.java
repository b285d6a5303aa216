package dev.weir.rollout;

import dev.weir.api.v1alpha1.Rollout;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;

/**
 * The owner reference of what a rollout makes (ReplicaSets, AnalysisRuns, configuration copies):
 * the rollout as controller, so that the garbage collector removes them with it.
 */
final class RolloutOwner {

  private RolloutOwner() {}

  static OwnerReference of(Rollout rollout) {
    return new OwnerReferenceBuilder()
        .withApiVersion(rollout.getApiVersion())
        .withKind(rollout.getKind())
        .withName(rollout.getMetadata().getName())
        .withUid(rollout.getMetadata().getUid())
        .withController(true)
        .withBlockOwnerDeletion(true)
        .build();
  }
}
