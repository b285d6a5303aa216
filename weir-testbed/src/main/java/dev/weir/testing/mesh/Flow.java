package dev.weir.testing.mesh;

/**
 * One stream of a route's traffic: the share of the route's requests that a destination's
 * ReplicaSet receives, or, when the destination has no ready pod, the share that fails for want of
 * a healthy upstream.
 *
 * @param key identifies the stream across ticks, so its fractional carry survives them
 * @param share the fraction of the route's requests, 0..1
 * @param workload the pods that answer; null when no pod is ready
 * @param mirrored copies of requests a route mirrors: answered, and the answers discarded
 */
record Flow(
    String key, double share, MeshService service, DestinationWorkload workload, boolean mirrored) {

  Flow(String key, double share, MeshService service, DestinationWorkload workload) {
    this(key, share, service, workload, false);
  }

  /** The same stream, as the copies a route mirrors. */
  Flow asMirror() {
    return new Flow(key, share, service, workload, true);
  }

  boolean hasHealthyUpstream() {
    return workload != null;
  }
}
