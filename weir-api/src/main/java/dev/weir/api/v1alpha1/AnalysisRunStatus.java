package dev.weir.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.ArrayList;
import java.util.List;

/** The run's verdict so far, and each metric's counts and latest measurements. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class AnalysisRunStatus {

  @JsonPropertyDescription(
      "Pending (not yet measured), Running, or the verdict: Successful, Failed (a metric failed"
          + " past its failureLimit), Error (the backend failed to answer past"
          + " consecutiveErrorLimit), Inconclusive (past inconclusiveLimit: a human decides).")
  public AnalysisPhase phase;

  @JsonPropertyDescription("Why the run is in its phase: the metric and measurement that decided.")
  public String message;

  @JsonPropertyDescription("When the run started.")
  public String startedAt;

  @JsonPropertyDescription("When the run reached its verdict.")
  public String completedAt;

  @JsonPropertyDescription("One entry per metric, in the order of spec.metrics.")
  public List<MetricResult> metricResults = new ArrayList<>();
}
