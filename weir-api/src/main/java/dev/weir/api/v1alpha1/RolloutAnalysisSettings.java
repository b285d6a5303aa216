package dev.weir.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Min;

/** How this rollout keeps and reacts to its AnalysisRuns. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class RolloutAnalysisSettings {

  @JsonPropertyDescription("Successful AnalysisRuns kept for inspection. Defaults to 5.")
  @Default("5")
  @Min(0)
  public Integer successfulRunHistoryLimit;

  @JsonPropertyDescription(
      "Failed, Error and Inconclusive AnalysisRuns kept for inspection. Defaults to 5.")
  @Default("5")
  @Min(0)
  public Integer unsuccessfulRunHistoryLimit;

  @JsonPropertyDescription(
      "What an analysis that ends in Error does: Abort (the default) or Pause until a human"
          + " promotes or aborts.")
  @Default("Abort")
  public AnalysisErrorPolicy onError;
}
