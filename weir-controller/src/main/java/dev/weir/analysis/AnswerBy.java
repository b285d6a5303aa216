package dev.weir.analysis;

import java.time.Instant;
import java.util.Optional;

/**
 * By when a run's due measurement must have answered, given when it fell due. A rollout that waits
 * on the run gives its progress deadline, so that a provider that never answers cannot hold the
 * rollout's reconcile past it; a measurement cut short there is no measurement (the rollout acts on
 * the deadline instead).
 */
@FunctionalInterface
public interface AnswerBy {

  /** Nothing waits on the run: each query has its metric's own timeout. */
  AnswerBy METRIC_TIMEOUT = due -> Optional.empty();

  Optional<Instant> measurementDue(Instant due);
}
