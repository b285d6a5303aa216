package dev.weir.testing.mesh;

import java.util.HashMap;
import java.util.Map;

/**
 * What the simulator has sent so far, counted per ReplicaSet (answered requests and the 5xx among
 * them) and per Service (requests that found no ready pod). Mutable inside the simulator; callers
 * get {@link #copy() copies}, consistent to a tick.
 */
public final class SentTraffic {

  private final Map<String, Long> requests = new HashMap<>();
  private final Map<String, Long> errors = new HashMap<>();
  private final Map<String, Long> noHealthyUpstream = new HashMap<>();
  private final Map<String, Long> mirrored = new HashMap<>();

  /** Mirrored copies the ReplicaSet's pods answered: no user saw those answers. */
  public long mirroredTo(String replicaSet) {
    return mirrored.getOrDefault(replicaSet, 0L);
  }

  /** Requests the ReplicaSet's pods answered, errors included. */
  public long requestsTo(String replicaSet) {
    return requests.getOrDefault(replicaSet, 0L);
  }

  /** Requests the ReplicaSet's pods answered with a 5xx. */
  public long errorsTo(String replicaSet) {
    return errors.getOrDefault(replicaSet, 0L);
  }

  /** Requests routed to the Service that failed with 503 UH: none of its pods was ready. */
  public long noHealthyUpstream(String service) {
    return noHealthyUpstream.getOrDefault(service, 0L);
  }

  /** Every request sent, wherever it went; mirrored copies are not requests of their own. */
  public long total() {
    return requests.values().stream().mapToLong(Long::longValue).sum()
        + noHealthyUpstream.values().stream().mapToLong(Long::longValue).sum();
  }

  void answered(String replicaSet, boolean error) {
    requests.merge(replicaSet, 1L, Long::sum);
    if (error) {
      errors.merge(replicaSet, 1L, Long::sum);
    }
  }

  void mirrored(String replicaSet) {
    mirrored.merge(replicaSet, 1L, Long::sum);
  }

  void failed(String service) {
    noHealthyUpstream.merge(service, 1L, Long::sum);
  }

  /** What was sent since {@code earlier}, a copy taken before this one. */
  public SentTraffic minus(SentTraffic earlier) {
    var since = copy();
    earlier.requests.forEach((k, v) -> since.requests.merge(k, -v, Long::sum));
    earlier.errors.forEach((k, v) -> since.errors.merge(k, -v, Long::sum));
    earlier.noHealthyUpstream.forEach((k, v) -> since.noHealthyUpstream.merge(k, -v, Long::sum));
    earlier.mirrored.forEach((k, v) -> since.mirrored.merge(k, -v, Long::sum));
    return since;
  }

  SentTraffic copy() {
    var copy = new SentTraffic();
    copy.requests.putAll(requests);
    copy.errors.putAll(errors);
    copy.noHealthyUpstream.putAll(noHealthyUpstream);
    copy.mirrored.putAll(mirrored);
    return copy;
  }

  @Override
  public String toString() {
    return "requests "
        + requests
        + ", errors "
        + errors
        + ", no healthy upstream "
        + noHealthyUpstream
        + ", mirrored "
        + mirrored;
  }
}
