package dev.weir.testing.mesh;

import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * A kind of request the simulated client sends: what a route's matches look at. Unless a test says
 * otherwise ({@link TrafficSimulator#sendShare}), every request is {@link #PLAIN}.
 *
 * @param headers by lower-case name
 */
public record SimulatedRequest(String method, String path, Map<String, String> headers) {

  /** {@code GET /} without headers of note. */
  public static final SimulatedRequest PLAIN = new SimulatedRequest("GET", "/", Map.of());

  public SimulatedRequest {
    var lower = new TreeMap<String, String>();
    headers.forEach((name, value) -> lower.put(name.toLowerCase(Locale.ROOT), value));
    headers = Map.copyOf(lower);
  }

  /** {@code GET /} carrying one header. */
  public static SimulatedRequest withHeader(String name, String value) {
    return new SimulatedRequest("GET", "/", Map.of(name, value));
  }

  /** A request of another method and path, without headers of note. */
  public static SimulatedRequest to(String method, String path) {
    return new SimulatedRequest(method, path, Map.of());
  }
}
