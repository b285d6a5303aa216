package dev.weir.api.validation;

import dev.weir.api.v1alpha1.GatewayApiRoute;
import dev.weir.api.v1alpha1.GatewayApiTrafficRouting;
import dev.weir.api.v1alpha1.SpecProblem;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;

/**
 * The routes a {@code trafficRouting.gatewayAPI} block names, each with the field that declares it,
 * and what makes them valid before any route is read: a name, at most one way to pick the rule, and
 * no rule named twice (it would be written twice per step).
 */
public final class GatewayApiRoutes {

  private GatewayApiRoutes() {}

  /** A route reference of the spec and the field path that declares it. */
  public record Reference(String field, GatewayApiRoute route) {}

  /** The references of {@code gatewayApi}, declared at {@code field}, in the spec's order. */
  public static List<Reference> references(String field, GatewayApiTrafficRouting gatewayApi) {
    var references = new ArrayList<Reference>();
    if (gatewayApi.httpRoute != null) {
      references.add(new Reference(field + ".httpRoute", gatewayApi.httpRoute));
    }
    for (int i = 0; gatewayApi.httpRoutes != null && i < gatewayApi.httpRoutes.size(); i++) {
      references.add(new Reference(field + ".httpRoutes[" + i + "]", gatewayApi.httpRoutes.get(i)));
    }
    return references;
  }

  static void validate(
      String field, GatewayApiTrafficRouting gatewayApi, List<SpecProblem> problems) {
    if (gatewayApi.httpRoute == null
        && (gatewayApi.httpRoutes == null || gatewayApi.httpRoutes.isEmpty())) {
      problems.add(new SpecProblem(field, "one of httpRoute or httpRoutes is required"));
      return;
    }
    if (gatewayApi.httpRoute != null && gatewayApi.httpRoutes != null) {
      problems.add(new SpecProblem(field, "set either httpRoute or httpRoutes, not both"));
      return;
    }
    var seen = new HashSet<String>();
    for (var reference : references(field, gatewayApi)) {
      var route = reference.route();
      if (route == null || route.name == null || route.name.isBlank()) {
        problems.add(new SpecProblem(reference.field() + ".name", "is required"));
        continue;
      }
      if (route.rule != null && route.ruleIndex != null) {
        problems.add(
            new SpecProblem(reference.field() + ".ruleIndex", "set either rule or ruleIndex"));
        continue;
      }
      if (route.ruleIndex != null && route.ruleIndex < 0) {
        problems.add(new SpecProblem(reference.field() + ".ruleIndex", "must be 0 or more"));
        continue;
      }
      String rule =
          route.rule != null
              ? "name:" + route.rule
              : route.ruleIndex != null ? "#" + route.ruleIndex : "";
      if (!seen.add(route.name + "/" + rule)) {
        problems.add(
            new SpecProblem(
                reference.field() + ".name",
                "the same rule of HTTPRoute '" + route.name + "' is named twice"));
      }
    }
  }
}
