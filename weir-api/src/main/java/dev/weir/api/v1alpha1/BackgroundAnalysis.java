package dev.weir.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Min;

/**
 * Analysis that runs beside the steps, from startingStep until promotion, and can abort the release
 * at any moment.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class BackgroundAnalysis extends RolloutAnalysis {

  @JsonPropertyDescription(
      "Index of the step (0-based) from which the analysis runs; before it, the canary is not"
          + " judged. Defaults to 0.")
  @Min(0)
  public Integer startingStep;
}
