package dev.weir.analysis;

import dev.weir.api.v1alpha1.AnalysisArgument;
import dev.weir.api.v1alpha1.Metric;
import java.util.List;

/**
 * The metrics of an analysis with its templates and their includes flattened, and every arg the
 * metrics use with its value or source: what an AnalysisRun is created from.
 *
 * @param fields where each metric is declared, in the rollout's terms ({@code
 *     spec.strategy.canary.steps[2].analysis.templates[0] (AnalysisTemplate x).metrics[1] (y)}),
 *     for the problems found after resolution
 */
public record ResolvedAnalysis(
    List<Metric> metrics, List<AnalysisArgument> args, List<String> fields) {}
