package dev.weir.traffic.istio;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weir.traffic.NamedRoute;
import dev.weir.traffic.NamedRoute.RequestMatch;
import dev.weir.traffic.NamedRoute.ValueMatch;
import dev.weir.traffic.RoutePatches;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The routes Weir names in a VirtualService's {@code spec.http}, pure: read back from the list as
 * it is, and the JSON patch that makes them exactly the ones asked for, first in the list so that
 * Istio matches them before the user's routes. A header route sends its requests to the canary
 * destination; a mirror route sends them to the stable destination and copies {@code
 * mirrorPercentage} of them to the canary's ({@code mirror}). Routes not named by Weir are never
 * touched: each removal first tests the name of the route it removes.
 */
final class VirtualServiceNamedRoutes {

  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

  private VirtualServiceNamedRoutes() {}

  /** The routes Weir named in {@code spec.http}, in their order. */
  static List<NamedRoute> read(JsonNode http, String rollout) {
    var routes = new ArrayList<NamedRoute>();
    for (JsonNode route : RoutePatches.elements(http)) {
      String name = route.path("name").asText(null);
      if (!NamedRoute.isNamedBy(rollout, name)) {
        continue;
      }
      var matches = new ArrayList<RequestMatch>();
      for (JsonNode match : RoutePatches.elements(route.path("match"))) {
        var headers = new HashMap<String, ValueMatch>();
        match
            .path("headers")
            .fields()
            .forEachRemaining(e -> value(e.getValue()).ifPresent(v -> headers.put(e.getKey(), v)));
        matches.add(
            new RequestMatch(
                value(match.path("method")).orElse(null),
                value(match.path("uri")).orElse(null),
                headers));
      }
      Integer percent =
          route.hasNonNull("mirror")
              ? (int) Math.round(route.path("mirrorPercentage").path("value").asDouble(100))
              : null;
      routes.add(new NamedRoute(NamedRoute.stepName(rollout, name), matches, percent));
    }
    return routes;
  }

  /**
   * The JSON patch that removes the routes Weir named and puts {@code wanted} first, routing to
   * copies of the managed route's destinations.
   *
   * @param stable the stable destination of a managed route ({@code host}, maybe {@code subset})
   * @param canary its canary destination
   */
  static ArrayNode patch(
      JsonNode http, String rollout, List<NamedRoute> wanted, JsonNode stable, JsonNode canary) {
    var patch = RoutePatches.empty();
    RoutePatches.removeNamed(patch, http, "/spec/http", rollout);
    for (int at = 0; at < wanted.size(); at++) {
      RoutePatches.add(patch, "/spec/http/" + at, route(wanted.get(at), rollout, stable, canary));
    }
    return patch;
  }

  static ObjectNode route(NamedRoute wanted, String rollout, JsonNode stable, JsonNode canary) {
    var route = JSON.objectNode();
    route.put("name", wanted.routeName(rollout));
    if (!wanted.matches().isEmpty()) {
      var matches = route.putArray("match");
      for (var match : wanted.matches()) {
        var written = matches.addObject();
        if (match.method() != null) {
          written.set("method", value(match.method()));
        }
        if (match.path() != null) {
          written.set("uri", value(match.path()));
        }
        if (!match.headers().isEmpty()) {
          var headers = written.putObject("headers");
          match.headers().entrySet().stream()
              .sorted(java.util.Map.Entry.comparingByKey())
              .forEach(e -> headers.set(e.getKey(), value(e.getValue())));
        }
      }
    }
    var destination = route.putArray("route").addObject();
    destination.set("destination", (wanted.mirror() ? stable : canary).deepCopy());
    if (wanted.mirror()) {
      route.set("mirror", canary.deepCopy());
      route.putObject("mirrorPercentage").put("value", (double) wanted.mirrorPercent());
    }
    return route;
  }

  private static ObjectNode value(ValueMatch match) {
    var node = JSON.objectNode();
    node.put(match.kind().name().toLowerCase(Locale.ROOT), match.value());
    return node;
  }

  private static Optional<ValueMatch> value(JsonNode match) {
    for (var kind : ValueMatch.Kind.values()) {
      String field = kind.name().toLowerCase(Locale.ROOT);
      if (match.hasNonNull(field)) {
        return Optional.of(new ValueMatch(kind, match.get(field).asText()));
      }
    }
    return Optional.empty();
  }
}
