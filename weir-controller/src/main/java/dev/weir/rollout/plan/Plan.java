package dev.weir.rollout.plan;

import dev.weir.api.v1alpha1.RolloutStatus;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The planner's answer: what to change, in order, the status that describes the result, the events
 * to record, and when to look again if nothing else happens.
 */
public record Plan(
    List<Action> actions,
    RolloutStatus status,
    List<RolloutEvent> events,
    Optional<Duration> requeueAfter) {}
