package dev.weir.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;

/**
 * Blue-green strategy: the new revision is previewed beside the active one, judged, then switched
 * to in one move; the old revision stays up for scaleDownDelaySeconds so that going back is
 * instant.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class BlueGreenStrategy {

  @JsonPropertyDescription(
      "Name of the Service that carries the production traffic; Weir points its selector at the"
          + " active revision (the pod-template hash is added to it).")
  @Required
  public String activeService;

  @JsonPropertyDescription(
      "Name of a Service Weir points at the new revision while it is previewed, for tests and"
          + " pre-promotion analysis. Optional.")
  public String previewService;

  @JsonPropertyDescription(
      "Pods of the new revision while it is previewed; it is scaled to replicas before the"
          + " switch. Defaults to replicas.")
  @Min(1)
  public Integer previewReplicaCount;

  @JsonPropertyDescription(
      "Switch as soon as the preview is available and its pre-promotion analysis passed. When"
          + " false, the rollout pauses until promoted (`kubectl weir promote`). Defaults to"
          + " true.")
  public Boolean autoPromotionEnabled;

  @JsonPropertyDescription(
      "With autoPromotionEnabled, wait this many seconds after the preview became available"
          + " before switching (a promote switches at once).")
  @Min(0)
  public Integer autoPromotionSeconds;

  @JsonPropertyDescription(
      "Seconds the old revision keeps its pods after the switch and its post-promotion"
          + " analysis, so that requests in flight finish and a rollback is instant. Defaults to"
          + " 30.")
  @Min(0)
  public Integer scaleDownDelaySeconds;

  @JsonPropertyDescription(
      "How many old revisions may keep their pods while they wait for scaleDownDelaySeconds;"
          + " older ones are scaled down at once. Unlimited when unset.")
  @Min(0)
  public Integer scaleDownDelayRevisionLimit;

  @JsonPropertyDescription(
      "After an abort, seconds the new revision keeps its pods once nothing selects it."
          + " Defaults to 30.")
  @Min(0)
  public Integer abortScaleDownDelaySeconds;

  @JsonPropertyDescription(
      "Analysis of the previewed revision before the switch: Failed aborts (the active side"
          + " never moves), Inconclusive pauses until promoted or aborted.")
  public RolloutAnalysis prePromotionAnalysis;

  @JsonPropertyDescription(
      "Analysis after the switch, while the old revision is still up: Failed switches back at"
          + " once (nothing to scale up).")
  public RolloutAnalysis postPromotionAnalysis;

  @JsonPropertyDescription("Labels and annotations put on the pods of the active revision.")
  public PodMetadata activeMetadata;

  @JsonPropertyDescription("Labels and annotations put on the pods of the previewed revision.")
  public PodMetadata previewMetadata;

  @JsonPropertyDescription(
      "With Istio, the switch moves a VirtualService route's weights from the active Service"
          + " (100/0) to the preview Service (0/100), verified, instead of changing the active"
          + " Service's selector first.")
  public TrafficRouting trafficRouting;
}
