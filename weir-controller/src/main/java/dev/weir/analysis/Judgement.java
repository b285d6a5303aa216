package dev.weir.analysis;

import dev.weir.api.v1alpha1.AnalysisPhase;
import dev.weir.api.v1alpha1.ComparisonEvidence;

/**
 * The verdict on one measurement.
 *
 * @param phase Successful, Failed, Inconclusive or Error
 * @param value the result as the status shows it, or null when there was none
 * @param message what decided, in words
 * @param noData whether the backend found nothing to judge
 * @param evidence for a metric judged by comparison, what the test found; otherwise null
 */
public record Judgement(
    AnalysisPhase phase,
    String value,
    String message,
    boolean noData,
    ComparisonEvidence evidence) {

  /** The verdict of a metric judged by its conditions. */
  public Judgement(AnalysisPhase phase, String value, String message, boolean noData) {
    this(phase, value, message, noData, null);
  }
}
