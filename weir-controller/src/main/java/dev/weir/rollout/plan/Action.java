package dev.weir.rollout.plan;

import dev.weir.traffic.NamedRoute;
import dev.weir.traffic.Side;
import java.time.Instant;
import java.util.List;

/** A change the planner asks the reconciler to make, in the order it gives. */
public sealed interface Action {

  /** Create the ReplicaSet of a revision. */
  record CreateRevision(String hash, int replicas, long number) implements Action {}

  /**
   * Set a revision's replicas; {@code scaleDownAt}, when given, records the time it will be scaled
   * to zero (kept on the ReplicaSet so that a restart honours the same delay).
   */
  record ScaleRevision(String hash, int replicas, Instant scaleDownAt) implements Action {}

  /** Delete the ReplicaSet of an old revision beyond revisionHistoryLimit. */
  record DeleteRevision(String hash) implements Action {}

  /**
   * Make the routes Weir named exactly these, ahead of the user's routes, on every managed route
   * object, then read them back.
   */
  record SetNamedRoutes(List<NamedRoute> routes) implements Action {}

  /** Point a side's Services and subsets at a revision. */
  record Pin(Side side, String hash) implements Action {}

  /**
   * Write the canary weight (and the baseline's, with baselineService; stable gets the rest) on
   * every managed route, then read it back.
   */
  record SetWeight(int canaryWeight, int baselineWeight) implements Action {

    /** A weight for the canary alone. */
    public SetWeight(int canaryWeight) {
      this(canaryWeight, 0);
    }
  }

  /**
   * Run the baseline, a ReplicaSet of the stable revision's template (its hash), at this many pods
   * beside the canary it is made for; create it if there is none.
   */
  record ScaleBaseline(String stableHash, String canaryHash, int replicas) implements Action {}

  /** Delete the baseline's ReplicaSet: it carries no traffic any more. */
  record DeleteBaseline() implements Action {}

  /**
   * Create the AnalysisRun of a site for the revision in progress (or find it created already: the
   * name is fixed by the status, so a repeated create is harmless).
   */
  record StartAnalysis(String name, AnalysisSite site, String canaryHash, String stableHash)
      implements Action {}

  /** Ask a run to stop measuring, saying why. */
  record TerminateAnalysis(String name, String reason) implements Action {}

  /** Delete a finished run beyond the history limits. */
  record DeleteAnalysis(String name) implements Action {}

  /**
   * Put a blue-green side's labels and annotations on a revision's pods (and take the other side's
   * off): on its ReplicaSet's pod template and its pods when {@code template}, else only on the
   * pods that lack them.
   */
  record DecoratePods(String hash, PodDecorations.Decoration decoration, boolean template)
      implements Action {}

  /** Set the replicas of the Deployment the rollout took its template from. */
  record ScaleWorkload(String name, int replicas) implements Action {}

  /** Take the pod-template hash off a side's Services and subsets: they select every pod again. */
  record Unpin(Side side) implements Action {}

  /**
   * Restore the stable revision's image in git for an aborted revision (spec.gitWriteBack), off the
   * reconcile; its outcome comes back through {@link Observation#gitWriteBacks()}.
   *
   * @param hash the aborted revision
   * @param images the aborted revision's images, in the template's order
   * @param stableHash the stable revision, whose image is restored
   * @param cause why it was aborted, as status says it
   */
  record WriteBack(String hash, List<String> images, String stableHash, String cause)
      implements Action {}

  /** The hand-back to the Deployment is done: the rollout's ReplicaSets may go with it. */
  record ReleaseRollout() implements Action {}
}
