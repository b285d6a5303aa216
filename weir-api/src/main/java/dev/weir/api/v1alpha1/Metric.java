package dev.weir.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.kubernetes.api.model.IntOrString;

/**
 * One thing to measure: a query, how often, and the conditions its result is judged by. A
 * measurement is Successful, Failed, Inconclusive (neither condition decided, too few samples, or
 * no data by default) or Error (the backend did not answer); the limits turn the counts into the
 * metric's verdict.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class Metric {

  /** A metric's name is repeated in every message, Event and label of its measurements. */
  public static final int MAX_NAME_LENGTH = 253;

  /** Kept measurements live in the run's status, which etcd stores as one object. */
  public static final int MAX_MEASUREMENT_RETENTION = 100;

  @JsonPropertyDescription(
      "Name of the metric, unique in the run; messages name it. At most 253 characters.")
  @Required
  @Size(max = MAX_NAME_LENGTH)
  public String name;

  @JsonPropertyDescription(
      "Time between measurements (seconds, or 30s, 5m; or {{args.NAME}}). Without it the"
          + " metric is measured count times back to back, or once.")
  public IntOrString interval;

  @JsonPropertyDescription(
      "Time to wait before the first measurement, e.g. to let traffic flow (or {{args.NAME}}).")
  public IntOrString initialDelay;

  @JsonPropertyDescription(
      "Number of measurements after which the metric is done. Without it, a metric with an"
          + " interval is measured until the run is terminated (background analysis); one"
          + " without is measured once. A number, or {{args.NAME}}.")
  public IntOrString count;

  @JsonPropertyDescription(
      "CEL expression over result, the list of sample values (result[0] >= 0.99); may use"
          + " {{args.NAME}} for a threshold. A"
          + " measurement for which it is false is Failed, unless failureCondition is also given:"
          + " then it is Inconclusive when neither holds.")
  public String successCondition;

  @JsonPropertyDescription(
      "CEL expression over result; a measurement for which it is true is Failed. Checked before"
          + " successCondition.")
  public String failureCondition;

  @JsonPropertyDescription(
      "Judge the metric by comparing the canary with a fresh baseline of the stable template"
          + " (the rollout's canary.baseline) instead of by conditions: the query runs for each"
          + " side, {{side}} replaced by canary or baseline. Not with successCondition or"
          + " failureCondition.")
  public MetricComparison compare;

  @JsonPropertyDescription(
      "Failed measurements tolerated: the metric fails at failureLimit + 1. Defaults to 0.")
  @Default("0")
  @Min(0)
  public Integer failureLimit;

  @JsonPropertyDescription(
      "Inconclusive measurements tolerated: the metric is Inconclusive at inconclusiveLimit + 1."
          + " Defaults to 0.")
  @Default("0")
  @Min(0)
  public Integer inconclusiveLimit;

  @JsonPropertyDescription(
      "Measurements in a row the backend may fail to answer (Error) before the metric is Error."
          + " A backend error is never a failure. Defaults to 4.")
  @Default("4")
  @Min(0)
  public Integer consecutiveErrorLimit;

  @JsonPropertyDescription(
      "Successful measurements in a row after which the metric is Successful early, before"
          + " count is reached.")
  @Min(1)
  public Integer consecutiveSuccessLimit;

  @JsonPropertyDescription(
      "What a measurement that found no data (an empty result, or NaN) counts as: Inconclusive"
          + " (the default), Fail, or Pass. No data is never a silent pass: Pass must be asked for.")
  @Default("Inconclusive")
  public NoDataPolicy noDataPolicy;

  @JsonPropertyDescription(
      "A guard against judging too little traffic: a query for the number of samples and the"
          + " least that counts. Below it the measurement is Inconclusive, neither passed nor"
          + " failed.")
  public MinSamples minSamples;

  @JsonPropertyDescription(
      "Measure and record, but let the verdict of this metric decide nothing: for trying a new"
          + " metric out.")
  @Default("false")
  public Boolean dryRun;

  @JsonPropertyDescription(
      "How many of the latest measurements the run's status keeps for this metric. Defaults to"
          + " 10, at most 100.")
  @Default("10")
  @Min(1)
  @Max(MAX_MEASUREMENT_RETENTION)
  public Integer measurementRetention;

  @JsonPropertyDescription("Where the measurements come from.")
  @Required
  public MetricProviderSpec provider;
}
