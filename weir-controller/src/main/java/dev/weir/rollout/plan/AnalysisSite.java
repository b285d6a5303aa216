package dev.weir.rollout.plan;

/**
 * Where in a release an analysis runs: the background analysis, an analysis step, or a blue-green
 * release's pre- or post-promotion analysis. Names and labels of runs carry it, so a run is
 * recognised after a restart.
 *
 * @param label as a label value and name suffix: {@code background}, {@code step-2}, {@code
 *     pre-promotion}, {@code post-promotion}
 */
public record AnalysisSite(String label) {

  public static final AnalysisSite BACKGROUND = new AnalysisSite("background");
  public static final AnalysisSite PRE_PROMOTION = new AnalysisSite("pre-promotion");
  public static final AnalysisSite POST_PROMOTION = new AnalysisSite("post-promotion");

  public static AnalysisSite step(int index) {
    return new AnalysisSite("step-" + index);
  }

  public boolean background() {
    return this.equals(BACKGROUND);
  }

  /** The run of this site for a revision: {@code <rollout>-<hash>-<n>-<site>}. */
  public String runName(String rollout, String hash, int sequence) {
    return rollout + "-" + hash + "-" + sequence + "-" + label;
  }

  /** Whether a run name is this site's for that revision. */
  public boolean owns(String runName, String rollout, String hash) {
    return runName != null
        && runName.startsWith(rollout + "-" + hash + "-")
        && runName.endsWith("-" + label);
  }
}
