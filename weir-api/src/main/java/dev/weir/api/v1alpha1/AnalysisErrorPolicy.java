package dev.weir.api.v1alpha1;

/** What a rollout does when an analysis ends in Error (the backend kept failing to answer). */
public enum AnalysisErrorPolicy {
  /** Abort the release: traffic back to stable. The default: an unjudged canary is not promoted. */
  Abort,
  /** Pause the release where it is until a human promotes or aborts it. */
  Pause
}
