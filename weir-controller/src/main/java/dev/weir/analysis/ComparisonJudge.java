package dev.weir.analysis;

import dev.weir.analysis.provider.QueryResult;
import dev.weir.api.v1alpha1.AnalysisPhase;
import dev.weir.api.v1alpha1.ComparisonDirection;
import dev.weir.api.v1alpha1.ComparisonEvidence;
import dev.weir.api.v1alpha1.Metric;
import dev.weir.api.v1alpha1.MetricComparison;
import dev.weir.api.validation.ComparisonTolerance;
import java.util.List;
import org.apache.commons.statistics.inference.AlternativeHypothesis;
import org.apache.commons.statistics.inference.MannWhitneyUTest;

/**
 * Judges a metric by comparison: the canary's points against the baseline's, by a one-sided
 * Mann-Whitney U test of "the canary is worse by more than the tolerance", and the Hodges-Lehmann
 * estimate of the shift as the evidence a user reads. The rules of {@link MeasurementJudge} hold
 * first: an error on either side is an Error, a side without data follows noDataPolicy, a side with
 * fewer than minPoints is Inconclusive. Pure.
 *
 * <p>The test shifts the null hypothesis by the tolerance ({@code mu}), so that it fails only a
 * canary worse by more than the tolerance, not one measurably but harmlessly worse: with identical
 * sides, a false alarm needs the sample to look worse by the whole tolerance, which is far rarer
 * than {@code 1 - confidence}.
 */
public final class ComparisonJudge {

  static final double DEFAULT_CONFIDENCE = 0.95;
  static final int DEFAULT_MIN_POINTS = 8;

  private ComparisonJudge() {}

  public static Judgement judge(Metric metric, QueryResult canary, QueryResult baseline) {
    for (var side : List.of(new Side("canary", canary), new Side("baseline", baseline))) {
      if (side.answer.outcome() == QueryResult.Outcome.ERROR) {
        return new Judgement(
            AnalysisPhase.Error, null, side.name + ": " + side.answer.message(), false);
      }
    }
    MetricComparison compare = metric.compare;
    double[] c = points(canary);
    double[] b = points(baseline);
    if (c.length == 0 || b.length == 0) {
      String side = c.length == 0 ? "canary" : "baseline";
      QueryResult empty = c.length == 0 ? canary : baseline;
      String said = empty.message().isEmpty() ? "no point is a number" : empty.message();
      return MeasurementJudge.noData(metric, null, "no data for the " + side + ": " + said);
    }
    int minPoints = compare.minPoints == null ? DEFAULT_MIN_POINTS : compare.minPoints;
    if (c.length < minPoints || b.length < minPoints) {
      return new Judgement(
          AnalysisPhase.Inconclusive,
          null,
          "too few points to compare: canary "
              + c.length
              + ", baseline "
              + b.length
              + ", minPoints "
              + minPoints,
          false);
    }
    boolean higherIsWorse = compare.direction != ComparisonDirection.LowerIsWorse;
    ComparisonTolerance tolerance = ComparisonTolerance.parse(compare.tolerance);
    double confidence = compare.confidence == null ? DEFAULT_CONFIDENCE : compare.confidence;
    double baselineMedian = HodgesLehmann.median(b);
    double allowed = tolerance.absolute(baselineMedian);
    var result =
        MannWhitneyUTest.withDefaults()
            .with(
                higherIsWorse
                    ? AlternativeHypothesis.GREATER_THAN
                    : AlternativeHypothesis.LESS_THAN)
            .withMu(higherIsWorse ? allowed : -allowed)
            .test(c, b);
    // Every point tied on both sides (an error rate of 0 everywhere) leaves nothing to rank.
    double p = Double.isNaN(result.getPValue()) ? 1 : result.getPValue();
    double shift = HodgesLehmann.shift(c, b);

    var evidence = new ComparisonEvidence();
    evidence.mannWhitneyU = result.getStatistic();
    evidence.pValue = p;
    evidence.shift = shift;
    evidence.tolerance = allowed;
    evidence.canaryMedian = HodgesLehmann.median(c);
    evidence.baselineMedian = baselineMedian;
    evidence.canaryPoints = c.length;
    evidence.baselinePoints = b.length;

    double alpha = 1 - confidence;
    boolean worse = p < alpha;
    String message =
        (worse ? "canary worse than baseline" : "canary not worse than baseline")
            + " by more than "
            + tolerance
            + (tolerance.relative() ? " (" + MeasurementJudge.format(allowed) + ")" : "")
            + ", "
            + (higherIsWorse ? "higher" : "lower")
            + " is worse: shift "
            + signed(shift)
            + ", median "
            + MeasurementJudge.format(evidence.canaryMedian)
            + " of "
            + c.length
            + " points vs "
            + MeasurementJudge.format(baselineMedian)
            + " of "
            + b.length
            + ", U="
            + MeasurementJudge.format(evidence.mannWhitneyU)
            + ", p="
            + MeasurementJudge.format(p)
            + (worse ? " < " : " >= ")
            + MeasurementJudge.format(alpha);
    return new Judgement(
        worse ? AnalysisPhase.Failed : AnalysisPhase.Successful,
        signed(shift),
        message,
        false,
        evidence);
  }

  /** The numbers among the side's points: a rate over no requests is NaN, not a point. */
  private static double[] points(QueryResult answer) {
    return answer.values().stream()
        .mapToDouble(Double::doubleValue)
        .filter(Double::isFinite)
        .toArray();
  }

  private static String signed(double v) {
    return (v > 0 ? "+" : "") + MeasurementJudge.format(v);
  }

  private record Side(String name, QueryResult answer) {}
}
