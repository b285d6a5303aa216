package dev.weir.rollout;

import dev.weir.traffic.TrafficState;
import java.time.Instant;
import java.util.Map;

/**
 * What the reconciler saw in the cluster, the planner's only view of it.
 *
 * @param now the time of the observation
 * @param templateHash pod-template hash of spec.template
 * @param revisions the rollout's ReplicaSets by pod-template hash
 * @param traffic weights and pins read back from the routers
 */
public record Observation(
    Instant now, String templateHash, Map<String, Revision> revisions, TrafficState traffic) {}
