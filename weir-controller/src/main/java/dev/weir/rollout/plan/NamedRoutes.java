package dev.weir.rollout.plan;

import dev.weir.api.v1alpha1.CanaryStep;
import dev.weir.api.v1alpha1.MirrorRouteMatch;
import dev.weir.api.v1alpha1.StringMatch;
import dev.weir.traffic.NamedRoute;
import dev.weir.traffic.NamedRoute.RequestMatch;
import dev.weir.traffic.NamedRoute.ValueMatch;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;

/**
 * The routes Weir names (setHeaderRoute, setMirrorRoute steps) that the steps carried out so far
 * ask for, in the order they were first set: a later step of the same name replaces its route, a
 * step without a match removes it. Part of the traffic Weir holds while stepping; none at all once
 * the release is promoted, aborted or superseded.
 */
final class NamedRoutes {

  private NamedRoutes() {}

  /** The named routes steps {@code [0, through)} leave in place. */
  static List<NamedRoute> setBy(List<CanaryStep> steps, int through) {
    var routes = new LinkedHashMap<String, NamedRoute>();
    for (int i = 0; i < Math.min(through, steps.size()); i++) {
      var step = steps.get(i);
      if (step == null) {
        continue;
      }
      if (step.setHeaderRoute != null) {
        var header = step.setHeaderRoute;
        if (header.match == null || header.match.isEmpty()) {
          routes.remove(header.name);
        } else {
          var headers = new HashMap<String, ValueMatch>();
          header.match.forEach(m -> headers.put(lower(m.headerName), value(m.headerValue)));
          routes.put(
              header.name,
              new NamedRoute(header.name, List.of(new RequestMatch(null, null, headers)), null));
        }
      }
      if (step.setMirrorRoute != null) {
        var mirror = step.setMirrorRoute;
        if (mirror.removes()) {
          routes.remove(mirror.name);
        } else {
          var matches = new ArrayList<RequestMatch>();
          if (mirror.match != null) {
            mirror.match.forEach(m -> matches.add(request(m)));
          }
          int percent = mirror.percentage == null ? 100 : mirror.percentage;
          routes.put(mirror.name, new NamedRoute(mirror.name, matches, percent));
        }
      }
    }
    return List.copyOf(routes.values());
  }

  /**
   * The named routes held while stepping: those of the steps done, and the step in progress's own
   * when it is one (its route is the step; it counts once read back), unless spec.paused holds the
   * release before it.
   */
  static List<NamedRoute> held(PlanContext ctx) {
    int through = ctx.stepIndex();
    if (through < ctx.steps().size()
        && routes(ctx.steps().get(through))
        && !Boolean.TRUE.equals(ctx.spec.paused)) {
      through++;
    }
    return setBy(ctx.steps(), through);
  }

  /** Whether a step sets or removes a named route. */
  static boolean routes(CanaryStep step) {
    return step != null && (step.setHeaderRoute != null || step.setMirrorRoute != null);
  }

  /** What a step does to its named route, for an Event. */
  static String describe(CanaryStep step) {
    if (step.setHeaderRoute != null) {
      var header = step.setHeaderRoute;
      return header.match == null || header.match.isEmpty()
          ? "header route " + header.name + " removed"
          : "header route " + header.name + " sends requests with its headers to the canary";
    }
    var mirror = step.setMirrorRoute;
    return mirror.removes()
        ? "mirror route " + mirror.name + " removed"
        : "mirror route "
            + mirror.name
            + " copies "
            + (mirror.percentage == null ? 100 : mirror.percentage)
            + "% of its requests to the canary";
  }

  private static RequestMatch request(MirrorRouteMatch match) {
    var headers = new HashMap<String, ValueMatch>();
    if (match != null && match.headers != null) {
      match.headers.forEach((name, value) -> headers.put(lower(name), value(value)));
    }
    ValueMatch path = match == null ? null : value(match.path);
    // A prefix of / takes every path: written as no path, as a Gateway API route reads it back.
    if (path != null && path.kind() == ValueMatch.Kind.PREFIX && path.value().equals("/")) {
      path = null;
    }
    return new RequestMatch(match == null ? null : value(match.method), path, headers);
  }

  private static ValueMatch value(StringMatch match) {
    if (match == null) {
      return null;
    }
    if (match.exact != null) {
      return new ValueMatch(ValueMatch.Kind.EXACT, match.exact);
    }
    if (match.prefix != null) {
      return new ValueMatch(ValueMatch.Kind.PREFIX, match.prefix);
    }
    return new ValueMatch(ValueMatch.Kind.REGEX, match.regex);
  }

  // HTTP header names are case-insensitive; the meshes want them in lower case.
  private static String lower(String name) {
    return name.toLowerCase(Locale.ROOT);
  }
}
