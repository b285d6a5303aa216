package dev.weir.cli.view;

import java.util.List;

/**
 * What {@code kubectl weir get rollout} shows, as data: the tree's content, printed as a tree on a
 * terminal or as JSON/YAML with {@code -o}. Times are the API server's RFC 3339 strings.
 *
 * @param phase Healthy, Progressing, Paused, Degraded, or Unknown before Weir wrote any status
 * @param observed whether the status was computed from the current spec (observedGeneration)
 * @param currentStepIndex index of the step being carried out (0-based, as in status)
 * @param setWeight the canary weight Weir wants (status.currentWeight)
 * @param actualWeight the canary weight as read back from the traffic router
 * @param steps the canary steps while a release is in progress; empty otherwise
 * @param revisions newest first
 * @param analysisRuns runs that name no revision (label {@code weir.dev/pod-template-hash})
 * @param abortedRevisions the revisions status remembers as aborted, newest first
 */
public record RolloutView(
    String name,
    String namespace,
    String phase,
    String message,
    boolean paused,
    boolean aborted,
    boolean observed,
    String strategy,
    Integer currentStepIndex,
    int stepCount,
    Integer setWeight,
    Integer actualWeight,
    Replicas replicas,
    List<Image> images,
    List<Step> steps,
    List<RevisionView> revisions,
    List<AnalysisRunView> analysisRuns,
    List<AbortedRevisionView> abortedRevisions,
    String created) {

  record Replicas(int desired, int current, int updated, int ready, int available) {}

  /** An image and the roles of the revisions running it (stable, canary). */
  record Image(String image, List<String> roles) {}

  /**
   * One canary step.
   *
   * @param number 1-based, as Weir's messages count steps
   * @param state done, current or pending
   */
  record Step(int number, String description, String state) {}

  /** A release is under way: the declared revision is not the stable one. */
  boolean releasing() {
    return !steps.isEmpty();
  }

  /**
   * One revision of the rollout: its ReplicaSet and the analysis that judged it.
   *
   * @param roles stable, canary, or none for an older revision
   * @param aborted whether status remembers the revision as aborted
   */
  record RevisionView(
      long number,
      String hash,
      List<String> roles,
      boolean aborted,
      ReplicaSetView replicaSet,
      List<AnalysisRunView> analysisRuns) {}

  /**
   * A revision whose release was aborted, which Weir will not release again unless retried.
   *
   * @param cause why, in a few words: the reason, the metric and its value, the AnalysisRun
   */
  record AbortedRevisionView(String hash, List<String> images, String abortedAt, String cause) {}

  record ReplicaSetView(
      String name,
      int desired,
      int current,
      int ready,
      int available,
      String created,
      String scaleDownAt,
      List<String> images) {

    /** Healthy (all desired pods ready), Progressing, or ScaledDown. */
    String status() {
      if (desired == 0) {
        return current == 0 ? "ScaledDown" : "Progressing";
      }
      return ready >= desired && available >= desired ? "Healthy" : "Progressing";
    }
  }
}
