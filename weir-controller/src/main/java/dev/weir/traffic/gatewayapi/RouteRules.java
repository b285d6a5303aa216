package dev.weir.traffic.gatewayapi;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.List;

/**
 * The rules of a Gateway API route as Weir reads them, whatever its kind: HTTPRoutes and GRPCRoutes
 * send traffic to backendRefs of the same shape, at the same paths ({@code
 * spec.rules[].backendRefs[]}), so one reading serves both.
 *
 * @param kind the route's kind, as messages name it
 */
public record RouteRules(String kind, List<Rule> rules) {

  /** A rule: its name (null when it has none) and its backendRefs, in order. */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Rule(String name, List<Backend> backendRefs) {

    public List<Backend> backendRefs() {
      return backendRefs == null ? List.of() : backendRefs;
    }
  }

  /** A backendRef: what it refers to and its weight (null when it has none). */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Backend(String group, String kind, String namespace, String name, Integer weight) {}

  @JsonIgnoreProperties(ignoreUnknown = true)
  private record Spec(List<Rule> rules) {}

  @JsonIgnoreProperties(ignoreUnknown = true)
  private record Route(Spec spec) {}

  /** The rules of an HTTPRoute or a GRPCRoute as read. */
  public static RouteRules of(HasMetadata route) {
    var read = Serialization.jsonMapper().convertValue(route, Route.class);
    var rules =
        read.spec() == null || read.spec().rules() == null ? List.<Rule>of() : read.spec().rules();
    return new RouteRules(route.getKind(), rules);
  }
}
