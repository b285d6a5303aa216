package dev.weir.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.model.annotation.LabelSelector;
import io.fabric8.kubernetes.model.annotation.StatusReplicas;
import java.util.ArrayList;
import java.util.List;

/**
 * What Weir observed and decided. Progress (step index, revision hashes, pause start) lives here so
 * that a restarted controller resumes exactly where it was. Three fields are requests a user writes
 * with a small status patch: {@code promote}, {@code abort} (and clearing it: retry).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class RolloutStatus {

  @JsonPropertyDescription("The metadata.generation this status was computed from.")
  public Long observedGeneration;

  @JsonPropertyDescription(
      "Healthy (the declared revision is stable and available), Progressing (a release or a"
          + " scaling is under way), Paused (waiting for a pause step, for `promote`, or"
          + " spec.paused), Degraded (aborted, invalid spec, or past the progress deadline).")
  public RolloutPhase phase;

  @JsonPropertyDescription("Why the rollout is in its phase, for humans.")
  public String message;

  @JsonPropertyDescription(
      "Index of the canary step being carried out; equal to the number of steps when the"
          + " release has no step left.")
  public Integer currentStepIndex;

  @JsonPropertyDescription("Pod-template hash of the revision spec.template declares now.")
  public String currentPodHash;

  @JsonPropertyDescription("Pod-template hash of the stable revision.")
  public String stableRS;

  @JsonPropertyDescription("Share of the traffic (percent) Weir wants on the canary now.")
  public Integer currentWeight;

  @JsonPropertyDescription(
      "Canary share of the traffic (percent) as last read back from the traffic router; differs"
          + " from currentWeight while a write is pending or after someone else changed it.")
  public Integer verifiedWeight;

  @JsonPropertyDescription("Why the rollout is paused, and since when.")
  public List<PauseCondition> pauseConditions = new ArrayList<>();

  @JsonPropertyDescription(
      "True while the release is aborted: traffic goes back to stable and the canary scales"
          + " down. Set it to abort (`kubectl weir abort`); clear it to retry from step 0"
          + " (`kubectl weir retry`). Weir sets it itself when the progress deadline aborts.")
  public Boolean abort;

  @JsonPropertyDescription("When the release in progress was aborted.")
  public String abortedAt;

  @JsonPropertyDescription(
      "Why the release in progress was aborted: on request, or what failed (an analysis"
          + " measurement, the progress deadline); or, for a template equal to a revision in"
          + " abortedRevisions, when and why that revision was aborted and how to go on.")
  public String abortMessage;

  @JsonPropertyDescription(
      "Revisions whose release was aborted, newest first, at most 10: a template equal to one of"
          + " them is not released again (the rollout stays on stable, Degraded with reason"
          + " RevisionAborted) until `kubectl weir retry`, which takes it off this list.")
  @JsonInclude(JsonInclude.Include.NON_EMPTY)
  public List<AbortedRevision> abortedRevisions = new ArrayList<>();

  @JsonPropertyDescription(
      "A promotion request: Step skips the current step (ends a pause), Full skips all the"
          + " remaining steps. Weir clears it when carried out.")
  public PromoteRequest promote;

  @JsonPropertyDescription("Where a blue-green release stands.")
  public BlueGreenStatus blueGreen;

  @JsonPropertyDescription(
      "The AnalysisRun the release waits on: of the current analysis step, or a blue-green"
          + " pre- or post-promotion analysis.")
  public RolloutAnalysisRunStatus stepAnalysisRun;

  @JsonPropertyDescription("The background AnalysisRun of the release in progress.")
  public RolloutAnalysisRunStatus backgroundAnalysisRun;

  @JsonPropertyDescription(
      "AnalysisRuns started for the revision in progress, counted on from the finished runs of"
          + " its earlier releases that are still kept; numbers their names, so that a run is"
          + " created once even if this status was not written.")
  public Integer analysisRunCount;

  @JsonPropertyDescription("When the release last made progress (a step, a pod available).")
  public String progressedAt;

  @JsonPropertyDescription("Pods of all revisions of this rollout (the scale subresource's count).")
  @StatusReplicas
  public Integer replicas;

  @JsonPropertyDescription(
      "spec.selector as a label selector string (app=checkout): the scale subresource's"
          + " selector, with which a HorizontalPodAutoscaler finds the pods of every revision.")
  @LabelSelector
  public String selector;

  @JsonPropertyDescription("Pods of the revision spec.template declares now.")
  public Integer updatedReplicas;

  @JsonPropertyDescription("Ready pods of all revisions.")
  public Integer readyReplicas;

  @JsonPropertyDescription("Available pods of all revisions.")
  public Integer availableReplicas;

  @JsonPropertyDescription(
      "Conditions in the kstatus style (Ready, Reconciling, Stalled) beside Weir's own"
          + " (Progressing, Paused, Aborted, InvalidSpec, Completed).")
  public List<Condition> conditions = new ArrayList<>();
}
