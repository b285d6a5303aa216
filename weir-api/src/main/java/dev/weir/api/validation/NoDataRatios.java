package dev.weir.api.validation;

import dev.weir.api.v1alpha1.Metric;
import dev.weir.api.v1alpha1.SpecProblem;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The error ratio that answers nothing while nothing fails. A query such as {@code
 * sum(rate(x{code=~"5.*"}[1m])) / sum(rate(x[1m]))} is the one the peers' guides teach; its
 * numerator has no series while no request failed, so the ratio is an empty result, which Weir
 * judges as no data and never as a pass: a perfect canary pauses as Inconclusive. The query is
 * valid, so this is a warning (lint, admission) and the likely cause named when it happens, never a
 * refusal. The shape is the one {@link PromQlRatios} rewrites: the numerator is the denominator
 * narrowed by more label matchers.
 */
public final class NoDataRatios {

  private NoDataRatios() {}

  /** Warnings about the metrics of a template or run, named {@code spec.metrics[i]...}. */
  public static List<SpecProblem> warnings(List<Metric> metrics) {
    var warnings = new ArrayList<SpecProblem>();
    if (metrics == null) {
      return warnings;
    }
    for (int i = 0; i < metrics.size(); i++) {
      int at = i;
      rewrite(metrics.get(i))
          .ifPresent(
              rewrite ->
                  warnings.add(
                      new SpecProblem(
                          "spec.metrics[" + at + "].provider.prometheus.query",
                          cause(rewrite) + ", as in: " + rewrite.query())));
    }
    return warnings;
  }

  /**
   * Why the metric's query answered nothing, when its ratio's numerator selects only failures; said
   * with the measurement that found no data.
   */
  public static Optional<String> likelyCause(Metric metric) {
    return rewrite(metric).map(NoDataRatios::cause);
  }

  private static String cause(PromQlRatios.Rewrite rewrite) {
    return "the numerator of its ratio selects only the requests with "
        + String.join(" and ", rewrite.filters())
        + ", which have no series while there are none: the ratio is then no data (never a pass),"
        + " not 0; write the numerator as (sum(...) or vector(0))";
  }

  private static Optional<PromQlRatios.Rewrite> rewrite(Metric metric) {
    var prometheus = metric == null || metric.provider == null ? null : metric.provider.prometheus;
    if (prometheus == null || prometheus.query == null) {
      return Optional.empty();
    }
    var rewrite = PromQlRatios.rewrite(prometheus.query);
    return rewrite.filters().isEmpty() ? Optional.empty() : Optional.of(rewrite);
  }
}
