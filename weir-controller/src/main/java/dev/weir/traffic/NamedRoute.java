package dev.weir.traffic;

import dev.weir.api.WellKnownNames;
import java.util.List;
import java.util.Map;

/**
 * A route Weir names and owns, ahead of the user's routes (a setHeaderRoute or setMirrorRoute
 * step), as every router writes it and reads it back: equal when the mesh holds what was asked.
 *
 * @param name the step's name; the route is written as {@link #routeName(String)}
 * @param matches the requests the route takes, any of them; none: every request
 * @param mirrorPercent for a mirror route, the percentage of them copied to the canary (their
 *     answers come from stable); null for a header route, which sends them to the canary
 */
public record NamedRoute(String name, List<RequestMatch> matches, Integer mirrorPercent) {

  public NamedRoute {
    matches = List.copyOf(matches);
  }

  public boolean mirror() {
    return mirrorPercent != null;
  }

  /**
   * The name the route has in the VirtualService or HTTPRoute: {@code weir.ROLLOUT.NAME}, so that
   * two rollouts sharing a route object (each with its own route of it) keep their own.
   */
  public String routeName(String rollout) {
    return prefix(rollout) + name;
  }

  /** Whether a route, by its name, is one that this rollout named. */
  public static boolean isNamedBy(String rollout, String routeName) {
    return routeName != null && routeName.startsWith(prefix(rollout));
  }

  /** The step's name of a route the rollout named. */
  public static String stepName(String rollout, String routeName) {
    return routeName.substring(prefix(rollout).length());
  }

  /** Whether a route, by its name, is one Weir named, for any rollout. */
  public static boolean isNamedByWeir(String routeName) {
    return routeName != null && routeName.startsWith(WellKnownNames.NAMED_ROUTE_PREFIX);
  }

  private static String prefix(String rollout) {
    return WellKnownNames.NAMED_ROUTE_PREFIX + rollout + ".";
  }

  /**
   * One way a request is matched: every field given must match.
   *
   * @param headers by lower-case name
   */
  public record RequestMatch(ValueMatch method, ValueMatch path, Map<String, ValueMatch> headers) {
    public RequestMatch {
      headers = headers == null ? Map.of() : Map.copyOf(headers);
    }
  }

  /** How one value is matched. */
  public record ValueMatch(Kind kind, String value) {
    public enum Kind {
      EXACT,
      PREFIX,
      REGEX
    }
  }
}
