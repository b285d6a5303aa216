package dev.weir.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.analysis.provider.QueryResult;
import dev.weir.api.v1alpha1.AnalysisPhase;
import dev.weir.api.v1alpha1.Metric;
import dev.weir.api.v1alpha1.MetricProviderSpec;
import dev.weir.api.v1alpha1.MinSamples;
import dev.weir.api.v1alpha1.NoDataPolicy;
import dev.weir.api.v1alpha1.PrometheusMetric;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * One measurement judged by the rules docs/analysis.md states, as the status shows it: the phase,
 * the value and the message. A backend error is an Error, never a failure; no data (nothing, or
 * NaN) follows noDataPolicy and is never a pass unless asked for; ±Inf are numbers like any other.
 */
class MeasurementJudgeTest {

  private static final Duration TOOK = Duration.ofMillis(12);

  private static Metric metric(String success, String failure, NoDataPolicy policy) {
    var metric = new Metric();
    metric.name = "success-rate";
    metric.successCondition = blankToNull(success);
    metric.failureCondition = blankToNull(failure);
    metric.noDataPolicy = policy;
    return metric;
  }

  private static Metric guarded(double threshold, NoDataPolicy policy) {
    var metric = metric("result[0] >= 0.99", null, policy);
    metric.minSamples = new MinSamples();
    metric.minSamples.query = "sum(increase(requests_total[2m]))";
    metric.minSamples.threshold = threshold;
    return metric;
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s;
  }

  /** "0.5; 2" -> 0.5 and 2; +Inf, -Inf and NaN as Prometheus writes them. */
  private static QueryResult values(String values) {
    return QueryResult.values(
        Arrays.stream(values.split(";"))
            .map(String::trim)
            .map(
                v ->
                    switch (v) {
                      case "+Inf" -> Double.POSITIVE_INFINITY;
                      case "-Inf" -> Double.NEGATIVE_INFINITY;
                      default -> Double.parseDouble(v);
                    })
            .toList(),
        TOOK);
  }

  @ParameterizedTest(name = "success [{0}], failure [{1}], result {2} -> {3}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          # successCondition      | failureCondition  | result      | phase        | value      | message
          result[0] >= 0.99       |                   | 0.995       | Successful   | 0.995      | successCondition result[0] >= 0.99
          result[0] >= 0.99       |                   | 0.98        | Failed       | 0.98       | successCondition result[0] >= 0.99 does not hold
                                  | result[0] > 0.05  | 0.01        | Successful   | 0.01       | failureCondition result[0] > 0.05 does not hold
                                  | result[0] > 0.05  | 0.2         | Failed       | 0.2        | failureCondition result[0] > 0.05
          result[0] >= 0.99       | result[0] < 0.9   | 0.995       | Successful   | 0.995      | successCondition result[0] >= 0.99
          result[0] >= 0.99       | result[0] < 0.9   | 0.5         | Failed       | 0.5        | failureCondition result[0] < 0.9
          result[0] >= 0.99       | result[0] < 0.9   | 0.95        | Inconclusive | 0.95       | neither condition holds
          result[0] > 0           | result[0] > 0.5   | 0.7         | Failed       | 0.7        | failureCondition result[0] > 0.5
          result[0] < 500         |                   | 120         | Successful   | 120        | successCondition result[0] < 500
          result[0] < 500         |                   | 500         | Failed       | 500        | successCondition result[0] < 500 does not hold
          result.all(x, x < 0.5)  |                   | 0.1; 0.7    | Failed       | [0.1, 0.7] | successCondition result.all(x, x < 0.5) does not hold
          result.all(x, x < 0.5)  |                   | 0.1; 0.2    | Successful   | [0.1, 0.2] | successCondition result.all(x, x < 0.5)
          """)
  void theConditionsDecideAnAnsweredMeasurement(
      String success,
      String failure,
      String result,
      AnalysisPhase phase,
      String value,
      String message) {
    var judgement = MeasurementJudge.judge(metric(success, failure, null), values(result));

    assertThat(judgement).isEqualTo(new Judgement(phase, value, message, false));
  }

  @ParameterizedTest(name = "{0} over {1} -> {2} ({3})")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          result[0] < 500           | +Inf         | Failed     | +Inf
          result[0] < 500           | -Inf         | Successful | -Inf
          result[0] >= 0.99         | +Inf         | Successful | +Inf
          result[0] > 0             | -Inf         | Failed     | -Inf
          result.all(x, x < 500)    | 120; +Inf    | Failed     | [120, +Inf]
          """)
  void infinitiesAreJudgedAsNumbers(
      String success, String result, AnalysisPhase phase, String value) {
    var judgement = MeasurementJudge.judge(metric(success, null, null), values(result));

    assertThat(judgement.phase()).isEqualTo(phase);
    assertThat(judgement.value()).isEqualTo(value);
    assertThat(judgement.noData()).isFalse();
  }

  @ParameterizedTest(name = "noDataPolicy {0}")
  @EnumSource(NoDataPolicy.class)
  void anErrorIsNeverAFailure(NoDataPolicy policy) {
    var metric = metric("result[0] >= 0.99", "result[0] < 0.9", policy);

    var judgement =
        MeasurementJudge.judge(
            metric, QueryResult.error("Prometheus answered HTTP 503: service unavailable", TOOK));

    assertThat(judgement)
        .isEqualTo(
            new Judgement(
                AnalysisPhase.Error,
                null,
                "Prometheus answered HTTP 503: service unavailable",
                false));
  }

  @ParameterizedTest(name = "noDataPolicy {0} -> {1}")
  @CsvSource(
      nullValues = "default",
      textBlock =
          """
          default,      Inconclusive, Inconclusive
          Inconclusive, Inconclusive, Inconclusive
          Fail,         Failed,       Fail
          Pass,         Successful,   Pass
          """)
  void noDataIsNeverAPassUnlessTheMetricSaysSo(
      NoDataPolicy policy, AnalysisPhase phase, String named) {
    var metric = metric("result[0] >= 0.99", null, policy);

    var judgement =
        MeasurementJudge.judge(metric, QueryResult.noData("the query returned no series", TOOK));

    assertThat(judgement)
        .isEqualTo(
            new Judgement(
                phase,
                null,
                "no data: the query returned no series (noDataPolicy " + named + ")",
                true));
  }

  @Test
  void anErrorRatioThatAnswersNothingWhileNothingFailsIsNamedAsTheLikelyCause() {
    var metric = metric("result[0] <= 0.01", null, null);
    metric.provider = new MetricProviderSpec();
    metric.provider.prometheus = new PrometheusMetric();
    metric.provider.prometheus.query =
        "sum(rate(istio_requests_total{app=\"shop\",response_code=~\"5.*\"}[1m]))"
            + " / sum(rate(istio_requests_total{app=\"shop\"}[1m]))";

    var judgement =
        MeasurementJudge.judge(metric, QueryResult.noData("the query returned no series", TOOK));

    assertThat(judgement.phase()).isEqualTo(AnalysisPhase.Inconclusive);
    assertThat(judgement.message())
        .startsWith("no data: the query returned no series; likely: ")
        .contains("selects only the requests with response_code=~\"5.*\"")
        .contains("(sum(...) or vector(0))")
        .endsWith("(noDataPolicy Inconclusive)");
  }

  @Test
  void aRatioOfTwoUnrelatedSeriesHasNoLikelyCauseToName() {
    var metric = metric("result[0] <= 0.01", null, null);
    metric.provider = new MetricProviderSpec();
    metric.provider.prometheus = new PrometheusMetric();
    metric.provider.prometheus.query =
        "sum(rate(errors_total[1m])) / sum(rate(requests_total[1m]))";

    var judgement =
        MeasurementJudge.judge(metric, QueryResult.noData("the query returned no series", TOOK));

    assertThat(judgement.message())
        .isEqualTo("no data: the query returned no series (noDataPolicy Inconclusive)");
  }

  @ParameterizedTest(name = "noDataPolicy {0}, result {1} -> {2}")
  @CsvSource(
      nullValues = "default",
      delimiter = '|',
      textBlock =
          """
          default       | NaN          | Inconclusive | NaN
          Fail          | NaN          | Failed       | NaN
          Pass          | NaN          | Successful   | NaN
          default       | 0.995; NaN   | Inconclusive | [0.995, NaN]
          Fail          | NaN; 0.2     | Failed       | [NaN, 0.2]
          """)
  void nanIsNoData(NoDataPolicy policy, String result, AnalysisPhase phase, String value) {
    // A failureCondition that would hold for NaN: no data is never judged by the conditions.
    var metric = metric("result[0] >= 0.99", "!(result[0] >= 0.5)", policy);

    var judgement = MeasurementJudge.judge(metric, values(result));

    assertThat(judgement.phase()).isEqualTo(phase);
    assertThat(judgement.value()).isEqualTo(value);
    assertThat(judgement.noData()).isTrue();
    assertThat(judgement.message())
        .startsWith("no data: the query returned NaN")
        .contains("(noDataPolicy ");
  }

  @ParameterizedTest(name = "{0} over {1} -> Error: {2}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          result[1] > 0.5      | 0.7     | condition cannot be evaluated: result[1] > 0.5: evaluation error
          1 / 0 == 0           | 0.7     | / by zero
          result[0] >=         | 0.7     | condition cannot be evaluated: at 1:
          """)
  void aConditionThatCannotBeEvaluatedIsAnErrorMeasurement(
      String success, String result, String message) {
    var judgement = MeasurementJudge.judge(metric(success, null, null), values(result));

    assertThat(judgement.phase()).isEqualTo(AnalysisPhase.Error);
    assertThat(judgement.value()).isEqualTo("0.7");
    assertThat(judgement.message()).contains(message);
    assertThat(judgement.noData()).isFalse();
  }

  @Test
  void indexingPastASingleValueIsAnErrorNotAFailure() {
    var metric = metric("result[0] >= 0.99", "result[1] > 0.05", null);

    var judgement = MeasurementJudge.judge(metric, values("0.995"));

    assertThat(judgement.phase()).isEqualTo(AnalysisPhase.Error);
    assertThat(judgement.message()).contains("Index out of bounds: 1");
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          0.1                  | 0.1
          0.995                | 0.995
          0.98999999           | 0.99
          0.666666666          | 0.666667
          123456789            | 123457000
          0.0000123456789      | 0.0000123457
          100                  | 100
          1500.0               | 1500
          0                    | 0
          -0.0                 | 0
          -42.4242424          | -42.4242
          +Inf                 | +Inf
          -Inf                 | -Inf
          0.5; 2; +Inf         | [0.5, 2, +Inf]
          """)
  void valuesShowSixSignificantDigits(String result, String shown) {
    var judgement = MeasurementJudge.judge(metric("true", null, null), values(result));

    assertThat(judgement.value()).isEqualTo(shown);
  }

  @ParameterizedTest(name = "minSamples {0}, samples {1} -> {2}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          20    | 3          | too few samples to judge: 3 < minSamples 20
          20    | 19.5       | too few samples to judge: 19.5 < minSamples 20
          20    | 4; 5       | too few samples to judge: 9 < minSamples 20
          20    | NaN; 12    | too few samples to judge: 12 < minSamples 20
          0.5   | 0          | too few samples to judge: 0 < minSamples 0.5
          """)
  void tooFewSamplesAreInconclusive(double threshold, String samples, String message) {
    var guard = MeasurementJudge.guard(guarded(threshold, NoDataPolicy.Pass), values(samples));

    assertThat(guard).contains(new Judgement(AnalysisPhase.Inconclusive, null, message, false));
  }

  @ParameterizedTest(name = "minSamples {0}, samples {1} -> judge the metric")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          20    | 20
          20    | 250
          20    | 15; 5
          20    | NaN; 25
          0     | 0
          """)
  void enoughSamplesLetTheConditionsDecide(double threshold, String samples) {
    assertThat(MeasurementJudge.guard(guarded(threshold, null), values(samples))).isEmpty();
  }

  @ParameterizedTest(name = "noDataPolicy {0} -> {1}")
  @CsvSource(
      nullValues = "default",
      textBlock =
          """
          default,  Inconclusive
          Fail,     Failed
          Pass,     Successful
          """)
  void aGuardWithNoSeriesIsNoData(NoDataPolicy policy, AnalysisPhase phase) {
    var metric = guarded(20, policy);

    var nothing = MeasurementJudge.guard(metric, QueryResult.noData("", TOOK)).orElseThrow();
    var said =
        MeasurementJudge.guard(metric, QueryResult.noData("the query returned no series", TOOK))
            .orElseThrow();
    var nan = MeasurementJudge.guard(metric, values("NaN")).orElseThrow();

    assertThat(List.of(nothing, said, nan))
        .allSatisfy(
            j -> {
              assertThat(j.phase()).isEqualTo(phase);
              assertThat(j.noData()).isTrue();
              assertThat(j.message()).startsWith("no data: ").contains("(noDataPolicy ");
            });
    assertThat(nothing.message()).contains("the minSamples query found nothing");
    assertThat(said.message()).contains("the query returned no series");
  }

  @Test
  void aGuardThatCannotBeAnsweredIsAnError() {
    var guard =
        MeasurementJudge.guard(
            guarded(20, NoDataPolicy.Pass),
            QueryResult.error("Get \"http://prometheus:9090\": connection refused", TOOK));

    assertThat(guard)
        .contains(
            new Judgement(
                AnalysisPhase.Error,
                null,
                "minSamples query: Get \"http://prometheus:9090\": connection refused",
                false));
  }

  @Test
  void aMetricWithoutMinSamplesIsNotGuarded() {
    var metric = metric("result[0] >= 0.99", null, null);

    assertThat(MeasurementJudge.guard(metric, QueryResult.error("down", TOOK))).isEmpty();
    assertThat(MeasurementJudge.guard(metric, QueryResult.noData("", TOOK))).isEmpty();
  }
}
