package dev.weir.rollout;

import dev.weir.api.WellKnownNames;
import dev.weir.api.v1alpha1.Rollout;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import java.util.HashMap;
import java.util.Map;

/**
 * The owner reference and metadata of what a rollout makes (ReplicaSets, AnalysisRuns,
 * configuration copies): the rollout as controller, so that the garbage collector removes them with
 * it.
 */
final class RolloutOwner {

  private RolloutOwner() {}

  /**
   * The metadata of an object the rollout makes: {@code name} in the rollout's namespace, labelled
   * with the rollout's name beside {@code labels}, owned by the rollout.
   */
  static ObjectMeta metadata(Rollout rollout, String name, Map<String, String> labels) {
    var all = new HashMap<>(labels);
    all.put(WellKnownNames.ROLLOUT_LABEL, rollout.getMetadata().getName());
    return new ObjectMetaBuilder()
        .withName(name)
        .withNamespace(rollout.getMetadata().getNamespace())
        .withLabels(all)
        .withOwnerReferences(of(rollout))
        .build();
  }

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
