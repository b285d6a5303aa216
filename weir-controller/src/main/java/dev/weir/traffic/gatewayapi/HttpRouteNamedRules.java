package dev.weir.traffic.gatewayapi;

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
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The routes Weir names as rules of an HTTPRoute, pure: read back from {@code spec.rules}, and the
 * JSON patch that makes them exactly the ones asked for. A header route is a rule whose {@code
 * matches} carry the headers (Exact, or RegularExpression; a prefix is written as the regex {@code
 * \Q<prefix>\E.*}, and read back as the prefix) and whose one backendRef is the canary's; a mirror
 * route is a rule to the stable backendRef with a {@code RequestMirror} filter to the canary's and
 * its {@code percent}. The Gateway API ranks rules by their matches, not their order, so Weir's
 * rules go last: a rule the user names by index keeps its index. Rules not named by Weir are never
 * touched: each removal first tests the name of the rule it removes.
 */
final class HttpRouteNamedRules {

  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
  private static final Pattern QUOTED_PREFIX = Pattern.compile("\\\\Q((?:(?!\\\\E).)*)\\\\E\\.\\*");

  private HttpRouteNamedRules() {}

  /** The routes Weir named in {@code spec.rules}, in their order. */
  static List<NamedRoute> read(JsonNode rules, String rollout) {
    var routes = new ArrayList<NamedRoute>();
    for (JsonNode rule : RoutePatches.elements(rules)) {
      String name = rule.path("name").asText(null);
      if (!NamedRoute.isNamedBy(rollout, name)) {
        continue;
      }
      var matches = new ArrayList<RequestMatch>();
      for (JsonNode match : RoutePatches.elements(rule.path("matches"))) {
        var headers = new HashMap<String, ValueMatch>();
        for (JsonNode header : RoutePatches.elements(match.path("headers"))) {
          headers.put(
              header.path("name").asText(),
              value(header.path("type").asText("Exact"), header.path("value").asText()));
        }
        ValueMatch method =
            match.hasNonNull("method")
                ? new ValueMatch(ValueMatch.Kind.EXACT, match.get("method").asText())
                : null;
        matches.add(new RequestMatch(method, path(match.path("path")).orElse(null), headers));
      }
      Integer percent = null;
      for (JsonNode filter : RoutePatches.elements(rule.path("filters"))) {
        if ("RequestMirror".equals(filter.path("type").asText())) {
          percent = filter.path("requestMirror").path("percent").asInt(100);
        }
      }
      routes.add(new NamedRoute(NamedRoute.stepName(rollout, name), matches, percent));
    }
    return routes;
  }

  /**
   * The JSON patch that removes the rules Weir named and appends {@code wanted}, to copies of the
   * managed rule's backendRefs (their weights left out).
   */
  static ArrayNode patch(
      JsonNode rules, String rollout, List<NamedRoute> wanted, JsonNode stable, JsonNode canary) {
    var patch = RoutePatches.empty();
    RoutePatches.removeNamed(patch, rules, "/spec/rules", rollout);
    for (var route : wanted) {
      RoutePatches.add(
          patch, "/spec/rules/-", rule(route, rollout, backend(stable), backend(canary)));
    }
    return patch;
  }

  static ObjectNode rule(NamedRoute wanted, String rollout, ObjectNode stable, ObjectNode canary) {
    var rule = JSON.objectNode();
    rule.put("name", wanted.routeName(rollout));
    if (!wanted.matches().isEmpty()) {
      var matches = rule.putArray("matches");
      for (var match : wanted.matches()) {
        var written = matches.addObject();
        if (match.path() != null) {
          written.set("path", path(match.path()));
        }
        if (!match.headers().isEmpty()) {
          var headers = written.putArray("headers");
          match.headers().entrySet().stream()
              .sorted(Map.Entry.comparingByKey())
              .forEach(e -> headers.add(header(e.getKey(), e.getValue())));
        }
        if (match.method() != null) {
          written.put("method", match.method().value());
        }
      }
    }
    if (wanted.mirror()) {
      var mirror = rule.putArray("filters").addObject();
      mirror.put("type", "RequestMirror");
      mirror
          .putObject("requestMirror")
          .put("percent", wanted.mirrorPercent())
          .set("backendRef", canary);
      rule.putArray("backendRefs").add(stable);
    } else {
      rule.putArray("backendRefs").add(canary);
    }
    return rule;
  }

  private static ObjectNode header(String name, ValueMatch value) {
    var header = JSON.objectNode();
    header.put("name", name);
    switch (value.kind()) {
      case EXACT -> header.put("type", "Exact").put("value", value.value());
      case PREFIX ->
          header.put("type", "RegularExpression").put("value", quotedPrefix(value.value()));
      case REGEX -> header.put("type", "RegularExpression").put("value", value.value());
    }
    return header;
  }

  private static ObjectNode path(ValueMatch value) {
    var path = JSON.objectNode();
    switch (value.kind()) {
      case EXACT -> path.put("type", "Exact");
      case PREFIX -> path.put("type", "PathPrefix");
      case REGEX -> path.put("type", "RegularExpression");
    }
    return path.put("value", value.value());
  }

  // A path the API server filled in by default (PathPrefix /) is no path Weir asked for.
  private static Optional<ValueMatch> path(JsonNode path) {
    if (path.isMissingNode() || path.isNull()) {
      return Optional.empty();
    }
    String type = path.path("type").asText("PathPrefix");
    String value = path.path("value").asText("/");
    if ("PathPrefix".equals(type) && "/".equals(value)) {
      return Optional.empty();
    }
    return Optional.of(
        switch (type) {
          case "Exact" -> new ValueMatch(ValueMatch.Kind.EXACT, value);
          case "PathPrefix" -> new ValueMatch(ValueMatch.Kind.PREFIX, value);
          default -> new ValueMatch(ValueMatch.Kind.REGEX, value);
        });
  }

  private static ValueMatch value(String type, String value) {
    if ("Exact".equals(type)) {
      return new ValueMatch(ValueMatch.Kind.EXACT, value);
    }
    var prefix = QUOTED_PREFIX.matcher(value);
    return prefix.matches()
        ? new ValueMatch(ValueMatch.Kind.PREFIX, prefix.group(1))
        : new ValueMatch(ValueMatch.Kind.REGEX, value);
  }

  /** A header prefix as the regular expression the Gateway API can match (RE2 and Java alike). */
  static String quotedPrefix(String prefix) {
    return "\\Q" + prefix + "\\E.*";
  }

  // The backendRef without its weight (a rule of one backendRef takes all its traffic) or filters.
  private static ObjectNode backend(JsonNode ref) {
    var copy = ((ObjectNode) ref).deepCopy();
    copy.remove("weight");
    copy.remove("filters");
    return copy;
  }
}
