package dev.weir.api.v1alpha1;

/** The phase of an AnalysisRun, of one of its metrics, or of one measurement. */
public enum AnalysisPhase {
  Pending,
  Running,
  Successful,
  Failed,
  Error,
  Inconclusive;

  /** A verdict: nothing more will be measured. */
  public boolean completed() {
    return this != Pending && this != Running;
  }
}
