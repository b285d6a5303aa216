package dev.weir.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Min;
import io.fabric8.kubernetes.api.model.IntOrString;
import java.util.List;

/** Canary strategy: the steps that carry a new revision from 0 % to 100 % of the traffic. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class CanaryStrategy {

  @JsonPropertyDescription(
      "Name of a Service in the rollout's namespace that Weir points at the stable revision"
          + " (its selector gets the stable pod-template hash). Required with host-level Istio"
          + " routing.")
  public String stableService;

  @JsonPropertyDescription(
      "Name of a Service in the rollout's namespace that Weir points at the canary revision"
          + " (its selector gets the canary pod-template hash). Required with host-level Istio"
          + " routing.")
  public String canaryService;

  @JsonPropertyDescription(
      "The steps of a release, carried out in order; each is recorded in status before the next"
          + " begins. After the last step the new revision is promoted to stable. Without steps,"
          + " a new revision is promoted as soon as it is available.")
  public List<CanaryStep> steps;

  @JsonPropertyDescription(
      "Without trafficRouting: how many pods (a number, or a percentage of replicas, rounded up)"
          + " may exist above replicas while canary and stable are resized. Defaults to 25%.")
  public IntOrString maxSurge;

  @JsonPropertyDescription(
      "Without trafficRouting: how many pods (a number, or a percentage of replicas, rounded"
          + " down) may be unavailable while canary and stable are resized. Defaults to 25%."
          + " maxSurge and maxUnavailable cannot both be 0.")
  public IntOrString maxUnavailable;

  @JsonPropertyDescription(
      "After promotion, seconds the old stable ReplicaSet keeps its pods once the traffic has"
          + " moved off it, so that connections in flight finish. Defaults to 30.")
  @Min(0)
  public Integer scaleDownDelaySeconds;

  @JsonPropertyDescription(
      "After an abort or a rollback, seconds the canary ReplicaSet keeps its pods once the"
          + " traffic has moved off it. Defaults to 30.")
  @Min(0)
  public Integer abortScaleDownDelaySeconds;

  @JsonPropertyDescription(
      "How traffic is split between stable and canary. Without it, the canary's share is"
          + " approximated by the ratio of canary to stable pods.")
  public TrafficRouting trafficRouting;

  @JsonPropertyDescription(
      "Background analysis: one AnalysisRun from startingStep until promotion; its failure"
          + " aborts the release at whatever step it is.")
  public BackgroundAnalysis analysis;
}
