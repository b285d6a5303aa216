package dev.weir.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;
import io.fabric8.kubernetes.api.model.IntOrString;

/**
 * A metric judged by comparison instead of by a threshold: its query runs once for the canary and
 * once for the baseline (a fresh copy of the stable template taking the same traffic), each as a
 * range query over the window, and the two samples are compared with a Mann-Whitney U test. The
 * measurement fails when the canary is worse than the baseline by more than the tolerance, with the
 * confidence asked for; docs/analysis.md explains how to read the evidence.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class MetricComparison {

  /** The placeholder of the query that selects the side: replaced by canary or baseline. */
  public static final String SIDE_PLACEHOLDER = "{{side}}";

  @JsonPropertyDescription(
      "Which way the metric gets worse: HigherIsWorse (latency, error rate; the default) or"
          + " LowerIsWorse (success rate).")
  @Default("HigherIsWorse")
  public ComparisonDirection direction;

  @JsonPropertyDescription(
      "How much worse than the baseline the canary may be: a percentage of the baseline's median"
          + " (10%, the default) or an absolute amount in the metric's unit (5 for 5 ms, 0.01"
          + " for one point of error rate). The canary fails only when it is worse by more than"
          + " this, with the confidence asked for.")
  @Default("10%")
  public String tolerance;

  @JsonPropertyDescription(
      "How sure the test must be that the canary is worse by more than the tolerance before the"
          + " measurement fails: 0.95 (the default) fails at a one-sided p-value below 0.05."
          + " Between 0.5 and 0.9999.")
  @Default("0.95")
  @Min(0.5)
  @Max(0.9999)
  public Double confidence;

  @JsonPropertyDescription(
      "The range each side's query is run over, ending at the measurement (seconds, or 2m).")
  @Required
  public IntOrString window;

  @JsonPropertyDescription(
      "Resolution of the range: one point per step on each side (seconds, or 10s). Defaults to"
          + " 10s.")
  @Default("10s")
  public IntOrString step;

  @JsonPropertyDescription(
      "Points each side needs before the test is run; with fewer the measurement is"
          + " Inconclusive. Defaults to 8, at least 3.")
  @Default("8")
  @Min(3)
  public Integer minPoints;
}
