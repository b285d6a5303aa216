package dev.weir.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** One measurement of a metric. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class Measurement {

  @JsonPropertyDescription("Successful, Failed, Inconclusive or Error.")
  public AnalysisPhase phase;

  @JsonPropertyDescription(
      "The result the conditions were applied to: one value, or [v1, v2, ...] for several"
          + " samples.")
  public String value;

  @JsonPropertyDescription("What decided the phase, in words: the backend's error, no data, ...")
  public String message;

  @JsonPropertyDescription(
      "For a metric judged by comparison: the test's statistic, p-value, shift, and both"
          + " samples' medians and sizes.")
  public ComparisonEvidence comparison;

  @JsonPropertyDescription("When the query was sent.")
  public String startedAt;

  @JsonPropertyDescription("When the answer was judged.")
  public String finishedAt;
}
