package dev.weir.rollout;

import dev.weir.api.WellKnownNames;
import dev.weir.rollout.plan.Revision;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;

/**
 * A rollout's ReplicaSets by pod-template hash, as this reconcile last read or wrote them: each
 * pass plans from what the previous one wrote, not from an informer cache that has not caught up.
 */
final class OwnedReplicaSets {

  private final Map<String, ReplicaSet> byHash = new HashMap<>();

  /** The baseline beside the canary, which shares stable's hash; null when none runs. */
  private ReplicaSet baseline;

  OwnedReplicaSets(Collection<ReplicaSet> observed) {
    for (ReplicaSet rs : observed) {
      var labels = rs.getMetadata().getLabels();
      if (ReplicaSets.isBaseline(rs)) {
        baseline = rs;
      } else if (labels != null && labels.containsKey(WellKnownNames.POD_TEMPLATE_HASH_LABEL)) {
        byHash.put(labels.get(WellKnownNames.POD_TEMPLATE_HASH_LABEL), rs);
      }
    }
  }

  ReplicaSet get(String hash) {
    return byHash.get(hash);
  }

  void put(String hash, ReplicaSet rs) {
    byHash.put(hash, rs);
  }

  ReplicaSet remove(String hash) {
    return byHash.remove(hash);
  }

  ReplicaSet baselineSet() {
    return baseline;
  }

  void baseline(ReplicaSet rs) {
    baseline = rs;
  }

  /** The baseline as the planner sees it, or null. */
  Revision baseline() {
    return baseline == null ? null : ReplicaSets.revision(baseline);
  }

  /** The revisions as the planner sees them. */
  Map<String, Revision> revisions() {
    var revisions = new HashMap<String, Revision>();
    byHash.forEach((hash, rs) -> revisions.put(hash, ReplicaSets.revision(rs)));
    return revisions;
  }
}
