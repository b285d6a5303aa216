package dev.weir.observability;

import dev.weir.api.v1alpha1.ComparisonEvidence;
import java.util.LinkedHashMap;
import java.util.Map;

/** The evidence of a comparison as the values of {@code weir_analysisrun_metric_comparison}. */
final class ComparisonStatistics {

  private ComparisonStatistics() {}

  /** Each statistic the evidence holds, by its label value; the missing ones left out. */
  static Map<String, Double> of(ComparisonEvidence e) {
    var values = new LinkedHashMap<String, Double>();
    put(values, "p_value", e.pValue);
    put(values, "shift", e.shift);
    put(values, "tolerance", e.tolerance);
    put(values, "canary_median", e.canaryMedian);
    put(values, "baseline_median", e.baselineMedian);
    put(values, "mann_whitney_u", e.mannWhitneyU);
    put(values, "canary_points", e.canaryPoints == null ? null : e.canaryPoints.doubleValue());
    put(
        values,
        "baseline_points",
        e.baselinePoints == null ? null : e.baselinePoints.doubleValue());
    return values;
  }

  private static void put(Map<String, Double> values, String name, Double value) {
    if (value != null) {
      values.put(name, value);
    }
  }
}
