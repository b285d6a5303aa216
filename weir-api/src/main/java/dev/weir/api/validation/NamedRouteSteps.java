package dev.weir.api.validation;

import dev.weir.api.WellKnownNames;
import dev.weir.api.v1alpha1.CanaryStep;
import dev.weir.api.v1alpha1.SetHeaderRoute;
import dev.weir.api.v1alpha1.SetMirrorRoute;
import dev.weir.api.v1alpha1.SpecProblem;
import dev.weir.api.v1alpha1.StringMatch;
import dev.weir.api.v1alpha1.TrafficRouting;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import java.util.stream.Stream;

/**
 * The setHeaderRoute and setMirrorRoute steps of a canary: names Weir can write as route names, one
 * name for one kind of route, matches the mesh can read (one way to match each value, regexes that
 * compile), percentages in 0..100.
 */
final class NamedRouteSteps {

  private static final String ROUTE_PREFIX = WellKnownNames.NAMED_ROUTE_PREFIX;

  private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
  private static final int MAX_NAME = 63 - ROUTE_PREFIX.length();

  private NamedRouteSteps() {}

  static void validate(
      String field, List<CanaryStep> steps, TrafficRouting routing, List<SpecProblem> problems) {
    boolean routed = routing != null;
    var gatewayApi = routing == null ? null : routing.gatewayAPI;
    var kinds = new HashMap<String, String>();
    for (int i = 0; i < steps.size(); i++) {
      var step = steps.get(i);
      if (step == null) {
        continue;
      }
      String at = field + "[" + i + "]";
      if (step.setHeaderRoute != null) {
        header(at + ".setHeaderRoute", step.setHeaderRoute, problems);
        kind(
            at + ".setHeaderRoute.name",
            step.setHeaderRoute.name,
            "setHeaderRoute",
            kinds,
            problems);
      }
      if (step.setMirrorRoute != null) {
        mirror(at + ".setMirrorRoute", step.setMirrorRoute, problems);
        kind(
            at + ".setMirrorRoute.name",
            step.setMirrorRoute.name,
            "setMirrorRoute",
            kinds,
            problems);
      }
      if (step.setHeaderRoute == null && step.setMirrorRoute == null) {
        continue;
      }
      String kind = step.setHeaderRoute != null ? ".setHeaderRoute" : ".setMirrorRoute";
      if (!routed) {
        problems.add(
            new SpecProblem(
                at + kind,
                "requires trafficRouting: only a mesh or a gateway can route by request"));
      } else if (gatewayApi != null
          && gatewayApi.httpRoute == null
          && (gatewayApi.httpRoutes == null || gatewayApi.httpRoutes.isEmpty())) {
        problems.add(
            new SpecProblem(
                at + kind,
                "requires an HTTPRoute in trafficRouting.gatewayAPI: Weir writes its routes as"
                    + " HTTPRoute rules"));
      } else if (gatewayApi != null && step.setMirrorRoute != null) {
        exactMethods(at + kind, step.setMirrorRoute, problems);
      }
    }
  }

  private static void header(String field, SetHeaderRoute route, List<SpecProblem> problems) {
    name(field + ".name", route.name, problems);
    if (route.match == null) {
      return;
    }
    var names = new HashSet<String>();
    for (int i = 0; i < route.match.size(); i++) {
      var match = route.match.get(i);
      String at = field + ".match[" + i + "]";
      if (match == null || blank(match.headerName)) {
        problems.add(new SpecProblem(at + ".headerName", "is required"));
        continue;
      }
      if (!names.add(match.headerName.toLowerCase(java.util.Locale.ROOT))) {
        problems.add(
            new SpecProblem(
                at + ".headerName",
                "'" + match.headerName + "' is matched twice: one match per header"));
      }
      value(at + ".headerValue", match.headerValue, problems);
    }
  }

  private static void mirror(String field, SetMirrorRoute route, List<SpecProblem> problems) {
    name(field + ".name", route.name, problems);
    if (route.percentage != null && (route.percentage < 0 || route.percentage > 100)) {
      problems.add(
          new SpecProblem(field + ".percentage", route.percentage + " is out of range 0..100"));
    }
    if (route.match == null) {
      return;
    }
    for (int i = 0; i < route.match.size(); i++) {
      var match = route.match.get(i);
      String at = field + ".match[" + i + "]";
      if (match == null) {
        continue;
      }
      if (match.method != null) {
        value(at + ".method", match.method, problems);
      }
      if (match.path != null) {
        value(at + ".path", match.path, problems);
      }
      if (match.headers != null) {
        match.headers.forEach((name, value) -> value(at + ".headers." + name, value, problems));
      }
    }
  }

  /** The Gateway API matches a method only as it is (GET, POST...). */
  private static void exactMethods(String field, SetMirrorRoute route, List<SpecProblem> problems) {
    for (int i = 0; route.match != null && i < route.match.size(); i++) {
      var match = route.match.get(i);
      if (match != null
          && match.method != null
          && (match.method.prefix != null || match.method.regex != null)) {
        problems.add(
            new SpecProblem(
                field + ".match[" + i + "].method",
                "must be exact with gatewayAPI: an HTTPRoute matches a method only as it is"));
      }
    }
  }

  private static void name(String field, String name, List<SpecProblem> problems) {
    if (blank(name)) {
      problems.add(new SpecProblem(field, "is required"));
    } else if (!DNS_LABEL.matcher(name).matches() || name.length() > MAX_NAME) {
      problems.add(
          new SpecProblem(
              field,
              "'"
                  + name
                  + "' is not a DNS label of at most "
                  + MAX_NAME
                  + " characters (lower case letters, digits, '-'): Weir names its route "
                  + ROUTE_PREFIX
                  + "ROLLOUT."
                  + name));
    }
  }

  /** One name is one route: a header route and a mirror route may not share it. */
  private static void kind(
      String field,
      String name,
      String kind,
      Map<String, String> kinds,
      List<SpecProblem> problems) {
    if (blank(name)) {
      return;
    }
    String before = kinds.putIfAbsent(name, kind);
    if (before != null && !before.equals(kind)) {
      problems.add(
          new SpecProblem(field, "'" + name + "' is used twice: by " + before + " and by " + kind));
    }
  }

  private static void value(String field, StringMatch match, List<SpecProblem> problems) {
    if (match == null) {
      problems.add(new SpecProblem(field, "is required: one of exact, prefix, regex"));
      return;
    }
    long set = Stream.of(match.exact, match.prefix, match.regex).filter(Objects::nonNull).count();
    if (set != 1) {
      problems.add(new SpecProblem(field, "exactly one of exact, prefix, regex must be set"));
      return;
    }
    if (match.regex != null) {
      try {
        Pattern.compile(match.regex);
      } catch (PatternSyntaxException e) {
        problems.add(
            new SpecProblem(
                field + ".regex", "'" + match.regex + "' does not compile: " + e.getDescription()));
      }
    }
  }

  private static boolean blank(String s) {
    return s == null || s.isBlank();
  }
}
