package dev.weir.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.model.annotation.SpecReplicas;

/**
 * What the user declares in git: the pod template and how a new revision of it is released. Fields
 * are public, like the Go structs of the Kubernetes API: these classes are data, nothing more.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class RolloutSpec {

  @JsonPropertyDescription(
      "Number of pods the rollout runs: the stable revision's, and during a release the total"
          + " the canary's share is taken from. The scale subresource sets it (`kubectl scale`,"
          + " a HorizontalPodAutoscaler); a change mid-release resizes both sides at once and"
          + " never advances a step. Defaults to 1.")
  @Default("1")
  @Min(0)
  @SpecReplicas
  public Integer replicas;

  @JsonPropertyDescription(
      "Label selector (matchLabels) for the pods; it must match spec.template.metadata.labels."
          + " Weir adds the pod-template hash to it for each revision's ReplicaSet.")
  @Required
  public LabelSelector selector;

  @JsonPropertyDescription(
      "Template of the pods. Every change of it is a new revision, released by the strategy."
          + " Exactly one of template and workloadRef is given.")
  public PodTemplateSpec template;

  @JsonPropertyDescription(
      "An existing Deployment (same namespace) whose pod template the rollout uses instead of"
          + " its own: every change of the Deployment's template is a new revision. Exactly one"
          + " of template and workloadRef is given.")
  public WorkloadRef workloadRef;

  @JsonPropertyDescription(
      "Release configuration changes as revisions: Weir copies each ConfigMap the pod template"
          + " references (env valueFrom, envFrom, volumes, projected volumes) into an immutable"
          + " copy named by a digest of its data and owned by the rollout, and points the"
          + " revision's template at the copies. A change of a referenced ConfigMap's data is"
          + " then a new revision, released by the strategy, while the stable revision keeps"
          + " its own copies. Copies go when no ReplicaSet of the rollout names them. A"
          + " referenced Secret is copied the same way only if its owner labelled it"
          + " weir.dev/config-snapshot=true (its copy named by a digest of its uid and"
          + " resourceVersion, never of its values); any other Secret is left referenced as it is"
          + " and never read. Defaults to false.")
  public Boolean configSnapshots;

  @JsonPropertyDescription(
      "Number of old ReplicaSets (scaled to zero) kept to allow rollback. Defaults to 10.")
  @Default("10")
  @Min(0)
  public Integer revisionHistoryLimit;

  @JsonPropertyDescription(
      "Minimum number of seconds a new pod must be ready, without any of its containers"
          + " crashing, before it counts as available. Defaults to 0.")
  @Default("0")
  @Min(0)
  public Integer minReadySeconds;

  @JsonPropertyDescription(
      "Seconds the rollout may wait without progress before it is reported as Degraded"
          + " (condition Progressing=False, reason ProgressDeadlineExceeded, a message saying what"
          + " it waited for). Every wait counts: for pods to become available, for a weight or a"
          + " selector to read back as written, for the analysis it waits on to take a"
          + " measurement, for an abort's own traffic to move. Time spent paused does not count."
          + " Defaults to 600.")
  @Default("600")
  @Min(1)
  public Integer progressDeadlineSeconds;

  @JsonPropertyDescription(
      "When true, exceeding progressDeadlineSeconds also aborts the rollout: traffic back to"
          + " the stable revision. Defaults to false.")
  @Default("false")
  public Boolean progressDeadlineAbort;

  @JsonPropertyDescription(
      "Pauses the rollout: no step advances and no promotion happens while true; traffic and"
          + " replicas stay where they are. Set by `kubectl weir pause`, cleared by `kubectl"
          + " weir resume`.")
  @Default("false")
  public Boolean paused;

  @JsonPropertyDescription("How many AnalysisRuns are kept, and what an analysis Error does.")
  public RolloutAnalysisSettings analysis;

  @JsonPropertyDescription(
      "Opt-in: where the rollout's manifest lives in git. After an abort, Weir commits the"
          + " stable revision's image back to that file (the one field edited, formatting and"
          + " comments kept), with the failed measurement in the message, and records the commit"
          + " in status.abortedRevisions[].writeBack: git stops declaring the revision it rolled"
          + " back.")
  public GitWriteBack gitWriteBack;

  @JsonPropertyDescription("How a new revision is released.")
  @Required
  public RolloutStrategy strategy;
}
