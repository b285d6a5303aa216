package dev.weir.rollout.plan;

import dev.weir.api.v1alpha1.AnalysisPhase;
import java.time.Instant;

/**
 * What the planner needs to know of one of the rollout's AnalysisRuns.
 *
 * @param name the run's name
 * @param hash pod-template hash of the revision it judges
 * @param phase its phase (Pending before the first measurement)
 * @param message its message: the metric and measurement that decided
 * @param terminating whether it was asked to stop
 * @param created when it was created, for the history limits
 * @param measuredAt when its latest measurement finished; null before the first
 * @param nextMeasurementAt when its next measurement is due; null when none is to come
 * @param decidingMetric the metric whose verdict decided an unsuccessful run; null otherwise
 * @param decidingValue that metric's last measured value, or null
 */
public record AnalysisRunView(
    String name,
    String hash,
    AnalysisPhase phase,
    String message,
    boolean terminating,
    Instant created,
    Instant measuredAt,
    Instant nextMeasurementAt,
    String decidingMetric,
    String decidingValue) {

  /** A run whose deciding metric the planner is not told about. */
  public AnalysisRunView(
      String name,
      String hash,
      AnalysisPhase phase,
      String message,
      boolean terminating,
      Instant created,
      Instant measuredAt,
      Instant nextMeasurementAt) {
    this(
        name,
        hash,
        phase,
        message,
        terminating,
        created,
        measuredAt,
        nextMeasurementAt,
        null,
        null);
  }

  /** A run whose measurements the planner is not told about. */
  public AnalysisRunView(
      String name,
      String hash,
      AnalysisPhase phase,
      String message,
      boolean terminating,
      Instant created) {
    this(name, hash, phase, message, terminating, created, null, null, null, null);
  }

  public boolean completed() {
    return phase != null && phase.completed();
  }
}
