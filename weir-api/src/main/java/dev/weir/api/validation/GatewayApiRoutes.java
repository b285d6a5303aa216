package dev.weir.api.validation;

import dev.weir.api.v1alpha1.GatewayApiRoute;
import dev.weir.api.v1alpha1.GatewayApiTrafficRouting;
import dev.weir.api.v1alpha1.SpecProblem;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;

/**
 * The routes a {@code trafficRouting.gatewayAPI} block names, each with its kind and the field that
 * declares it, and what makes them valid before any route is read: a name, at most one way to pick
 * the rule, and no rule named twice (it would be written twice per step).
 */
public final class GatewayApiRoutes {

  private GatewayApiRoutes() {}

  /** The kinds of route Weir writes weights on, by their Kubernetes kind. */
  public static final String HTTP_ROUTE = "HTTPRoute";

  public static final String GRPC_ROUTE = "GRPCRoute";

  /** A route reference of the spec: its kind, the field path that declares it, the reference. */
  public record Reference(String kind, String field, GatewayApiRoute route) {}

  /** The references of {@code gatewayApi}, declared at {@code field}, in the spec's order. */
  public static List<Reference> references(String field, GatewayApiTrafficRouting gatewayApi) {
    var references = new ArrayList<Reference>();
    add(references, HTTP_ROUTE, field + ".httpRoute", gatewayApi.httpRoute, gatewayApi.httpRoutes);
    add(references, GRPC_ROUTE, field + ".grpcRoute", gatewayApi.grpcRoute, gatewayApi.grpcRoutes);
    return references;
  }

  private static void add(
      List<Reference> references,
      String kind,
      String one,
      GatewayApiRoute route,
      List<GatewayApiRoute> several) {
    if (route != null) {
      references.add(new Reference(kind, one, route));
    }
    for (int i = 0; several != null && i < several.size(); i++) {
      references.add(new Reference(kind, one + "s[" + i + "]", several.get(i)));
    }
  }

  static void validate(
      String field, GatewayApiTrafficRouting gatewayApi, List<SpecProblem> problems) {
    if (references(field, gatewayApi).isEmpty()) {
      problems.add(
          new SpecProblem(
              field, "one of httpRoute, httpRoutes, grpcRoute or grpcRoutes is required"));
      return;
    }
    if (gatewayApi.httpRoute != null && gatewayApi.httpRoutes != null) {
      problems.add(new SpecProblem(field, "set either httpRoute or httpRoutes, not both"));
      return;
    }
    if (gatewayApi.grpcRoute != null && gatewayApi.grpcRoutes != null) {
      problems.add(new SpecProblem(field, "set either grpcRoute or grpcRoutes, not both"));
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
      if (!seen.add(reference.kind() + "/" + route.name + "/" + rule)) {
        problems.add(
            new SpecProblem(
                reference.field() + ".name",
                "the same rule of " + reference.kind() + " '" + route.name + "' is named twice"));
      }
    }
  }
}
