package dev.weir.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.ArrayList;
import java.util.List;

/** One metric's counts, verdict and latest measurements. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class MetricResult {

  @JsonPropertyDescription("Name of the metric.")
  public String name;

  @JsonPropertyDescription("Running, or the metric's verdict.")
  public AnalysisPhase phase;

  @JsonPropertyDescription("True when the metric is a dry run: its verdict decides nothing.")
  public Boolean dryRun;

  @JsonPropertyDescription("Why the metric is in its phase.")
  public String message;

  @JsonPropertyDescription("Measurements taken.")
  public int count;

  @JsonPropertyDescription("Successful measurements.")
  public int successful;

  @JsonPropertyDescription("Failed measurements.")
  public int failed;

  @JsonPropertyDescription("Inconclusive measurements (undecided, too few samples, no data).")
  public int inconclusive;

  @JsonPropertyDescription("Measurements the backend failed to answer.")
  public int error;

  @JsonPropertyDescription("Measurements that found no data (also counted by their phase).")
  public int noData;

  @JsonPropertyDescription("Errors in a row, reset by any answer.")
  public int consecutiveError;

  @JsonPropertyDescription("Successful measurements in a row.")
  public int consecutiveSuccess;

  @JsonPropertyDescription(
      "The latest measurements, oldest first, bounded by measurementRetention.")
  public List<Measurement> measurements = new ArrayList<>();
}
