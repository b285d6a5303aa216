package dev.weir.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** What a measurement judged by comparison found: the test's statistic and both samples. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ComparisonEvidence {

  @JsonPropertyDescription("The Mann-Whitney U statistic of the canary's sample.")
  public Double mannWhitneyU;

  @JsonPropertyDescription(
      "One-sided p-value of the canary being worse than the baseline by more than the"
          + " tolerance; the measurement fails below 1 - confidence.")
  public Double pValue;

  @JsonPropertyDescription(
      "Hodges-Lehmann estimate of the shift, canary minus baseline: the median of all pairwise"
          + " differences, in the metric's unit.")
  public Double shift;

  @JsonPropertyDescription("The tolerance as an amount in the metric's unit.")
  public Double tolerance;

  @JsonPropertyDescription("Median of the canary's sample.")
  public Double canaryMedian;

  @JsonPropertyDescription("Median of the baseline's sample.")
  public Double baselineMedian;

  @JsonPropertyDescription("Points in the canary's sample.")
  public Integer canaryPoints;

  @JsonPropertyDescription("Points in the baseline's sample.")
  public Integer baselinePoints;
}
