package dev.weir.analysis;

import dev.weir.api.v1alpha1.AnalysisPhase;

/**
 * The verdict on one measurement.
 *
 * @param phase Successful, Failed, Inconclusive or Error
 * @param value the result as the status shows it, or null when there was none
 * @param message what decided, in words
 * @param noData whether the backend found nothing to judge
 */
public record Judgement(AnalysisPhase phase, String value, String message, boolean noData) {}
