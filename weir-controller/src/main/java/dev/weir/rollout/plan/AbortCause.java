package dev.weir.rollout.plan;

/**
 * Why a release was aborted: the reason of the rollout's Stalled condition and the {@code reason}
 * label of {@code weir_rollout_aborts_total}.
 */
public enum AbortCause {
  /** A human asked for it (kubectl weir abort, or the status patch). */
  Aborted,
  /** An analysis failed its condition. */
  AnalysisFailed,
  /** An analysis ended in Error and spec.analysis.onError aborts. */
  AnalysisError,
  /** A wait outlasted progressDeadlineSeconds and progressDeadlineAbort is set. */
  ProgressDeadlineExceeded
}
