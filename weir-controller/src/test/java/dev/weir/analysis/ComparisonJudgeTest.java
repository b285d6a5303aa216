package dev.weir.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.analysis.provider.QueryResult;
import dev.weir.api.v1alpha1.AnalysisPhase;
import dev.weir.api.v1alpha1.ComparisonDirection;
import dev.weir.api.v1alpha1.Metric;
import dev.weir.api.v1alpha1.MetricComparison;
import dev.weir.api.v1alpha1.NoDataPolicy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * A canary's points against its baseline's, as the run's status shows the verdict: the phase, the
 * shift as the value, the message and the evidence. The samples are seeded draws of what a range
 * query of a median latency returns: one point per step, each a median over the requests of a short
 * window, so spread by a few percent around the true median.
 */
class ComparisonJudgeTest {

  private static final Duration TOOK = Duration.ofMillis(5);
  private static final int POINTS = 24; // a 2m window at 5s
  private static final int RUNS = 50;

  private static Metric latency(String tolerance) {
    var metric = new Metric();
    metric.name = "p50-latency";
    metric.compare = new MetricComparison();
    metric.compare.direction = ComparisonDirection.HigherIsWorse;
    metric.compare.tolerance = tolerance;
    metric.compare.confidence = 0.95;
    return metric;
  }

  /** Points of a median latency around {@code median}: each off by a normal 4 %. */
  private static QueryResult points(Random random, double median, int n) {
    var values = new ArrayList<Double>();
    for (int i = 0; i < n; i++) {
      values.add(median * (1 + 0.04 * random.nextGaussian()));
    }
    return QueryResult.values(values, TOOK);
  }

  private static Judgement judge(Metric metric, long seed, double canary, double baseline) {
    var random = new Random(seed);
    return ComparisonJudge.judge(
        metric, points(random, canary, POINTS), points(random, baseline, POINTS));
  }

  @Test
  void aCanaryTwentyPercentSlowerFailsWithItsEvidence() {
    for (long seed = 1; seed <= RUNS; seed++) {
      Judgement j = judge(latency("10%"), seed, 24, 20);

      assertThat(j.phase()).as("seed %d: %s", seed, j.message()).isEqualTo(AnalysisPhase.Failed);
      assertThat(j.evidence().shift).isBetween(3.0, 5.0);
      assertThat(j.evidence().tolerance).isBetween(1.9, 2.1);
      assertThat(j.evidence().pValue).isLessThan(0.05);
      assertThat(j.evidence().canaryPoints).isEqualTo(POINTS);
      assertThat(j.evidence().baselinePoints).isEqualTo(POINTS);
      assertThat(j.value()).startsWith("+");
      assertThat(j.message()).startsWith("canary worse than baseline by more than 10% (");
    }
  }

  /** In how many of the seeded runs identical sides of median 20 are judged {@code phase}. */
  private static long identicalSides(String tolerance, AnalysisPhase phase) {
    return IntStream.rangeClosed(1, RUNS)
        .mapToObj(seed -> judge(latency(tolerance), seed, 20, 20))
        .filter(j -> j.phase() == phase)
        .count();
  }

  @Test
  void identicalSidesPassInAtLeast48Of50SeededRuns() {
    long passed = identicalSides("10%", AnalysisPhase.Successful);
    System.out.printf(
        "identical sides, tolerance 10%%, confidence 0.95: %d of %d passed, false alarms %.0f%%%n",
        passed, RUNS, 100.0 * (RUNS - passed) / RUNS);

    assertThat(passed).isGreaterThanOrEqualTo(48);
  }

  @Test
  void withNoToleranceTheFalseAlarmRateIsAboutOneMinusTheConfidence() {
    long failed = identicalSides("0", AnalysisPhase.Failed);
    System.out.printf(
        "identical sides, tolerance 0, confidence 0.95: %d of %d failed%n", failed, RUNS);

    // 5 % of 50 is 2.5: a seeded run lands near it.
    assertThat(failed).isBetween(0L, 7L);
  }

  @Test
  void aCanaryFasterThanItsBaselinePasses() {
    for (long seed = 1; seed <= RUNS; seed++) {
      Judgement j = judge(latency("10%"), seed, 14, 20);

      assertThat(j.phase()).as("seed %d", seed).isEqualTo(AnalysisPhase.Successful);
      assertThat(j.evidence().shift).isNegative();
      assertThat(j.evidence().pValue).isGreaterThan(0.9);
    }
  }

  @Test
  void lowerIsWorseFailsALowerSuccessRateAndPassesAHigherOne() {
    var metric = latency("0.01");
    metric.compare.direction = ComparisonDirection.LowerIsWorse;

    Judgement lower = ComparisonJudge.judge(metric, constantish(0.95, 1), constantish(0.995, 2));
    Judgement higher = ComparisonJudge.judge(metric, constantish(0.999, 3), constantish(0.97, 4));

    assertThat(lower.phase()).isEqualTo(AnalysisPhase.Failed);
    assertThat(lower.message()).contains("by more than 0.01, lower is worse");
    assertThat(higher.phase()).isEqualTo(AnalysisPhase.Successful);
  }

  @Test
  void aShiftWithinTheToleranceIsNotWorse() {
    // 5 % slower, clearly measurable, but inside a 10 % tolerance.
    for (long seed = 1; seed <= 10; seed++) {
      assertThat(judge(latency("10%"), seed, 21, 20).phase())
          .as("seed %d", seed)
          .isEqualTo(AnalysisPhase.Successful);
    }
  }

  @Test
  void tooFewPointsOnEitherSideIsInconclusive() {
    var random = new Random(7);
    Judgement j =
        ComparisonJudge.judge(latency("10%"), points(random, 40, 5), points(random, 20, POINTS));

    assertThat(j.phase()).isEqualTo(AnalysisPhase.Inconclusive);
    assertThat(j.message())
        .isEqualTo("too few points to compare: canary 5, baseline 24, minPoints 8");
    assertThat(j.evidence()).isNull();
  }

  @Test
  void pointsThatAreNotNumbersDoNotCount() {
    var metric = latency("10%");
    metric.compare.minPoints = 3;
    var nan = new ArrayList<Double>(List.of(Double.NaN, Double.NaN));
    nan.addAll(List.of(30.0, 31.0));

    Judgement j = ComparisonJudge.judge(metric, QueryResult.values(nan, TOOK), constantish(20, 5));

    assertThat(j.phase()).isEqualTo(AnalysisPhase.Inconclusive);
    assertThat(j.message()).startsWith("too few points to compare: canary 2,");
  }

  @Test
  void noDataOnEitherSideFollowsNoDataPolicy() {
    var metric = latency("10%");
    Judgement inconclusive =
        ComparisonJudge.judge(
            metric, QueryResult.noData("the query found no series", TOOK), constantish(20, 1));
    metric.noDataPolicy = NoDataPolicy.Fail;
    Judgement failed =
        ComparisonJudge.judge(
            metric, constantish(20, 1), QueryResult.values(List.of(Double.NaN), TOOK));

    assertThat(inconclusive.phase()).isEqualTo(AnalysisPhase.Inconclusive);
    assertThat(inconclusive.noData()).isTrue();
    assertThat(inconclusive.message())
        .isEqualTo("no data for the canary: the query found no series (noDataPolicy Inconclusive)");
    assertThat(failed.phase()).isEqualTo(AnalysisPhase.Failed);
    assertThat(failed.message())
        .isEqualTo("no data for the baseline: no point is a number (noDataPolicy Fail)");
  }

  @Test
  void anErrorOnEitherSideIsAnErrorNamingTheSide() {
    Judgement j =
        ComparisonJudge.judge(
            latency("10%"),
            constantish(20, 1),
            QueryResult.error("Prometheus at http://p:9090 unreachable", TOOK));

    assertThat(j.phase()).isEqualTo(AnalysisPhase.Error);
    assertThat(j.message()).isEqualTo("baseline: Prometheus at http://p:9090 unreachable");
  }

  @Test
  void sidesTiedEverywherePass() {
    var zeros = QueryResult.values(java.util.Collections.nCopies(12, 0.0), TOOK);

    Judgement j = ComparisonJudge.judge(latency("0"), zeros, zeros);

    assertThat(j.phase()).isEqualTo(AnalysisPhase.Successful);
    assertThat(j.evidence().shift).isZero();
  }

  @Test
  void theShiftIsTheMedianOfPairwiseDifferences() {
    // Differences of {1, 2, 10} - {0, 1}: 1, 0, 2, 1, 10, 9 -> sorted 0 1 1 2 9 10 -> 1.5
    assertThat(HodgesLehmann.shift(new double[] {1, 2, 10}, new double[] {0, 1})).isEqualTo(1.5);
    assertThat(HodgesLehmann.median(new double[] {3, 1, 2})).isEqualTo(2);
  }

  /** Twelve points close to {@code value}, seeded. */
  private static QueryResult constantish(double value, long seed) {
    var random = new Random(seed);
    var values = new ArrayList<Double>();
    for (int i = 0; i < 12; i++) {
      values.add(value + value * 0.001 * random.nextGaussian());
    }
    return QueryResult.values(values, TOOK);
  }
}
