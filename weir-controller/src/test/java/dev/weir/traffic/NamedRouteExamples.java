package dev.weir.traffic;

import dev.weir.traffic.NamedRoute.RequestMatch;
import dev.weir.traffic.NamedRoute.ValueMatch;
import java.util.List;
import java.util.Map;

/** The routes the router tests write: a header route by all three kinds of match, a mirror. */
public final class NamedRouteExamples {

  private NamedRouteExamples() {}

  /** Requests carrying x-canary: yes, an x-tenant beginning internal-, an x-user of team a or b. */
  public static final NamedRoute BETA =
      new NamedRoute(
          "beta",
          List.of(
              new RequestMatch(
                  null,
                  null,
                  Map.of(
                      "x-canary", new ValueMatch(ValueMatch.Kind.EXACT, "yes"),
                      "x-tenant", new ValueMatch(ValueMatch.Kind.PREFIX, "internal-"),
                      "x-user", new ValueMatch(ValueMatch.Kind.REGEX, "team-(a|b)")))),
          null);

  /** A quarter of the GETs under /api copied to the canary. */
  public static final NamedRoute SHADOW =
      new NamedRoute(
          "shadow",
          List.of(
              new RequestMatch(
                  new ValueMatch(ValueMatch.Kind.EXACT, "GET"),
                  new ValueMatch(ValueMatch.Kind.PREFIX, "/api"),
                  Map.of())),
          25);
}
