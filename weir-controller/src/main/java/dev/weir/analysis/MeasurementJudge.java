package dev.weir.analysis;

import dev.weir.analysis.provider.QueryResult;
import dev.weir.api.v1alpha1.AnalysisPhase;
import dev.weir.api.v1alpha1.Metric;
import dev.weir.api.v1alpha1.NoDataPolicy;
import dev.weir.api.validation.MetricCondition;
import dev.weir.api.validation.NoDataRatios;
import java.math.BigDecimal;
import java.math.MathContext;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Judges what the backend answered, by the rules docs/analysis.md states: an error is an Error
 * (never a failure), no data (an empty result, or NaN: 0/0 when nothing was requested) follows
 * noDataPolicy and is never a silent pass, too few samples is Inconclusive, and only then do the
 * conditions decide. Pure.
 */
public final class MeasurementJudge {

  private MeasurementJudge() {}

  /** Whether the guard query's answer allows judging the metric; the Judgement when it does not. */
  public static java.util.Optional<Judgement> guard(Metric metric, QueryResult samples) {
    if (metric.minSamples == null) {
      return java.util.Optional.empty();
    }
    if (samples.outcome() == QueryResult.Outcome.ERROR) {
      return java.util.Optional.of(
          new Judgement(
              AnalysisPhase.Error, null, "minSamples query: " + samples.message(), false));
    }
    if (samples.outcome() == QueryResult.Outcome.NO_DATA
        || samples.values().stream().allMatch(v -> v.isNaN())) {
      // Not a single sample behind the metric: no traffic at all is no data, not a small sample.
      String said =
          samples.message().isEmpty() ? "the minSamples query found nothing" : samples.message();
      return java.util.Optional.of(noData(metric, null, "no data: " + said));
    }
    double count = samples.values().stream().filter(v -> !v.isNaN()).mapToDouble(v -> v).sum();
    double threshold = metric.minSamples.threshold;
    if (count < threshold) {
      return java.util.Optional.of(
          new Judgement(
              AnalysisPhase.Inconclusive,
              null,
              "too few samples to judge: " + format(count) + " < minSamples " + format(threshold),
              false));
    }
    return java.util.Optional.empty();
  }

  public static Judgement judge(Metric metric, QueryResult answer) {
    if (answer.outcome() == QueryResult.Outcome.ERROR) {
      return new Judgement(AnalysisPhase.Error, null, answer.message(), false);
    }
    if (answer.outcome() == QueryResult.Outcome.NO_DATA) {
      String said = "no data: " + answer.message();
      return noData(
          metric,
          null,
          NoDataRatios.likelyCause(metric).map(cause -> said + "; likely: " + cause).orElse(said));
    }
    List<Double> result = answer.values();
    String value = render(result);
    if (result.stream().anyMatch(v -> v.isNaN())) {
      return noData(metric, value, "no data: the query returned NaN (nothing to divide by?)");
    }
    try {
      if (metric.failureCondition != null
          && MetricCondition.compile(metric.failureCondition).holds(result)) {
        return new Judgement(
            AnalysisPhase.Failed, value, "failureCondition " + metric.failureCondition, false);
      }
      if (metric.successCondition == null) {
        return new Judgement(
            AnalysisPhase.Successful,
            value,
            "failureCondition " + metric.failureCondition + " does not hold",
            false);
      }
      if (MetricCondition.compile(metric.successCondition).holds(result)) {
        return new Judgement(
            AnalysisPhase.Successful, value, "successCondition " + metric.successCondition, false);
      }
      if (metric.failureCondition != null) {
        return new Judgement(AnalysisPhase.Inconclusive, value, "neither condition holds", false);
      }
      return new Judgement(
          AnalysisPhase.Failed,
          value,
          "successCondition " + metric.successCondition + " does not hold",
          false);
    } catch (MetricCondition.ConditionFailed | MetricCondition.InvalidCondition e) {
      return new Judgement(
          AnalysisPhase.Error, value, "condition cannot be evaluated: " + e.getMessage(), false);
    }
  }

  static Judgement noData(Metric metric, String value, String message) {
    NoDataPolicy policy =
        metric.noDataPolicy == null ? NoDataPolicy.Inconclusive : metric.noDataPolicy;
    AnalysisPhase phase =
        switch (policy) {
          case Fail -> AnalysisPhase.Failed;
          case Pass -> AnalysisPhase.Successful;
          case Inconclusive -> AnalysisPhase.Inconclusive;
        };
    return new Judgement(phase, value, message + " (noDataPolicy " + policy + ")", true);
  }

  /** One value as is, several as a list; six significant digits, Prometheus' names for ±Inf. */
  static String render(List<Double> values) {
    if (values.size() == 1) {
      return format(values.get(0));
    }
    return values.stream()
        .map(MeasurementJudge::format)
        .collect(Collectors.joining(", ", "[", "]"));
  }

  static String format(double v) {
    if (Double.isNaN(v)) {
      return "NaN";
    }
    if (Double.isInfinite(v)) {
      return v > 0 ? "+Inf" : "-Inf";
    }
    return new BigDecimal(v).round(new MathContext(6)).stripTrailingZeros().toPlainString();
  }
}
