package dev.weir.rollout;

/**
 * Where in a release an analysis runs: the background analysis, or the analysis step at an index.
 * Names and labels of runs carry it, so a run is recognised after a restart.
 */
public record AnalysisSite(Integer step) {

  public static final AnalysisSite BACKGROUND = new AnalysisSite(null);

  public static AnalysisSite step(int index) {
    return new AnalysisSite(index);
  }

  public boolean background() {
    return step == null;
  }

  /** As a label value and name suffix: {@code background} or {@code step-2}. */
  public String label() {
    return background() ? "background" : "step-" + step;
  }

  /** The run of this site for a revision: {@code <rollout>-<hash>-<n>-<site>}. */
  public String runName(String rollout, String hash, int sequence) {
    return rollout + "-" + hash + "-" + sequence + "-" + label();
  }

  /** Whether a run name is this site's for that revision. */
  public boolean owns(String runName, String rollout, String hash) {
    return runName != null
        && runName.startsWith(rollout + "-" + hash + "-")
        && runName.endsWith("-" + label());
  }
}
