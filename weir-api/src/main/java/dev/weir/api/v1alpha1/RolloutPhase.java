package dev.weir.api.v1alpha1;

/** The phase of a rollout, as `kubectl get` shows it. */
public enum RolloutPhase {
  Healthy,
  Progressing,
  Paused,
  Degraded
}
