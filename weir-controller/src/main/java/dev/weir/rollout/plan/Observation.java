package dev.weir.rollout.plan;

import dev.weir.api.v1alpha1.GitWriteBackStatus;
import dev.weir.api.v1alpha1.SpecProblem;
import dev.weir.traffic.TrafficState;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What the reconciler saw in the cluster, the planner's only view of it.
 *
 * @param now the time of the observation
 * @param templateHash pod-template hash of spec.template
 * @param revisions the rollout's ReplicaSets by pod-template hash
 * @param traffic weights and pins read back from the routers
 * @param analysis the rollout's AnalysisRuns, and what is wrong with the templates it names
 * @param workload the Deployment of spec.workloadRef, null without one
 * @param gitWriteBacks the write-backs to git of aborted revisions, and what is wrong with
 *     spec.gitWriteBack that only the controller can tell
 * @param baseline the baseline's ReplicaSet (a copy of the stable template run beside the canary,
 *     its hash that of stable), null when none runs
 */
public record Observation(
    Instant now,
    String templateHash,
    Map<String, Revision> revisions,
    TrafficState traffic,
    AnalysisObservation analysis,
    Workload workload,
    GitObservation gitWriteBacks,
    Revision baseline) {

  /** A rollout without a baseline running. */
  public Observation(
      Instant now,
      String templateHash,
      Map<String, Revision> revisions,
      TrafficState traffic,
      AnalysisObservation analysis,
      Workload workload,
      GitObservation gitWriteBacks) {
    this(now, templateHash, revisions, traffic, analysis, workload, gitWriteBacks, null);
  }

  /** A rollout without write-back to git, nor a baseline running. */
  public Observation(
      Instant now,
      String templateHash,
      Map<String, Revision> revisions,
      TrafficState traffic,
      AnalysisObservation analysis,
      Workload workload) {
    this(now, templateHash, revisions, traffic, analysis, workload, GitObservation.NONE);
  }

  /** A rollout with its own template. */
  public Observation(
      Instant now,
      String templateHash,
      Map<String, Revision> revisions,
      TrafficState traffic,
      AnalysisObservation analysis) {
    this(now, templateHash, revisions, traffic, analysis, null);
  }

  /** A rollout without analysis. */
  public Observation(
      Instant now, String templateHash, Map<String, Revision> revisions, TrafficState traffic) {
    this(now, templateHash, revisions, traffic, AnalysisObservation.NONE);
  }

  /**
   * The git side of an observation.
   *
   * @param ended the write-backs that ended since the status last recorded them, by aborted
   *     revision
   * @param problems what keeps a write-back from leaving (a Secret not opted in, an address not
   *     allowed), by the field of spec.gitWriteBack at fault
   */
  public record GitObservation(Map<String, GitWriteBackStatus> ended, List<SpecProblem> problems) {
    public static final GitObservation NONE = new GitObservation(Map.of(), List.of());
  }

  /**
   * The analysis side of an observation.
   *
   * @param rollout the rollout's name: its runs are named after it
   * @param runs the rollout's AnalysisRuns by name
   * @param problems the templates' problems, by the rollout field that names them
   */
  public record AnalysisObservation(
      String rollout, Map<String, AnalysisRunView> runs, List<SpecProblem> problems) {
    public static final AnalysisObservation NONE =
        new AnalysisObservation("rollout", Map.of(), List.of());
  }
}
