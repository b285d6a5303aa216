package dev.weir.cli.review;

import dev.weir.api.WellKnownNames;

/**
 * The kinds the review reads as Weir's. Argo Rollouts' objects use the same field names (Weir took
 * Argo's names), so a repository in migration is reviewed the same way.
 */
final class RolloutKinds {

  static final String ARGO_GROUP = "argoproj.io";

  private RolloutKinds() {}

  static boolean rollout(ManifestObject object) {
    return object.kind().equals("Rollout") && weirOrArgo(object);
  }

  static boolean analysisTemplate(ManifestObject object) {
    return (object.kind().equals("AnalysisTemplate")
            || object.kind().equals("ClusterAnalysisTemplate"))
        && weirOrArgo(object);
  }

  private static boolean weirOrArgo(ManifestObject object) {
    return object.group().equals(WellKnownNames.GROUP) || object.group().equals(ARGO_GROUP);
  }
}
