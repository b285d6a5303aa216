package dev.weir.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;

/** One step of a canary release: exactly one of its fields is set. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class CanaryStep {

  @JsonPropertyDescription(
      "Percentage of the traffic (0-100) sent to the canary. The canary is scaled up to carry it"
          + " first; the step is done when the router reads back the weight as written.")
  @Min(0)
  @Max(100)
  public Integer setWeight;

  @JsonPropertyDescription(
      "Waits: for `duration` when given, else until the rollout is promoted (`kubectl weir"
          + " promote`).")
  public RolloutPause pause;

  @JsonPropertyDescription(
      "Sets the canary's replica count independently of its traffic weight, from this step"
          + " until the next setCanaryScale step or the end of the release.")
  public SetCanaryScale setCanaryScale;

  @JsonPropertyDescription(
      "Runs an AnalysisRun from the templates and waits for its verdict: Successful moves on,"
          + " Failed aborts the release (traffic first), Error aborts or pauses"
          + " (spec.analysis.onError), Inconclusive pauses until promoted or aborted.")
  public RolloutAnalysis analysis;

  @JsonPropertyDescription(
      "Sets (or, without match, removes) a route Weir names, ahead of the user's routes, that"
          + " sends requests carrying the given headers to the canary. Requires trafficRouting.")
  public SetHeaderRoute setHeaderRoute;

  @JsonPropertyDescription(
      "Sets (or, without match and percentage, removes) a route Weir names, ahead of the user's"
          + " routes, that copies a percentage of the matching requests to the canary; users get"
          + " the stable revision's answers. Requires trafficRouting.")
  public SetMirrorRoute setMirrorRoute;
}
