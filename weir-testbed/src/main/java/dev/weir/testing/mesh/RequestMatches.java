package dev.weir.testing.mesh;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteMatch;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Whether a route takes a {@link SimulatedRequest}, as Envoy decides it: an Istio http route's
 * {@code match} list (any entry; each entry's uri, method and headers all; none at all takes
 * everything), a Gateway API rule's {@code matches} likewise, and the Gateway API's precedence
 * between rules that both match ({@link Rank}).
 */
final class RequestMatches {

  private RequestMatches() {}

  /** An Istio http route's {@code match} (as JSON) takes the request. */
  static boolean istio(JsonNode matches, SimulatedRequest request) {
    if (!matches.isArray() || matches.isEmpty()) {
      return true;
    }
    for (JsonNode match : matches) {
      boolean headers = true;
      var fields = match.path("headers").fields();
      while (fields.hasNext()) {
        var header = fields.next();
        headers &=
            istioValue(
                header.getValue(), request.headers().get(header.getKey().toLowerCase(Locale.ROOT)));
      }
      if (headers
          && istioValue(match.path("uri"), request.path())
          && istioValue(match.path("method"), request.method())) {
        return true;
      }
    }
    return false;
  }

  // An absent StringMatch takes anything; a present one needs the value.
  private static boolean istioValue(JsonNode match, String value) {
    if (match.isMissingNode() || match.isNull() || match.isEmpty()) {
      return true;
    }
    if (value == null) {
      return false;
    }
    if (match.hasNonNull("exact")) {
      return value.equals(match.get("exact").asText());
    }
    if (match.hasNonNull("prefix")) {
      return value.startsWith(match.get("prefix").asText());
    }
    return match.hasNonNull("regex") && Pattern.matches(match.get("regex").asText(), value);
  }

  /**
   * The Gateway API's precedence of a rule's match: an exact path over a prefix, a longer prefix
   * over a shorter one, then a method, then more headers.
   */
  record Rank(boolean exactPath, int prefixLength, boolean method, int headers)
      implements Comparable<Rank> {

    /** A match of the path prefix {@code /} alone: what a rule without matches has. */
    static final Rank LOWEST = new Rank(false, 1, false, 0);

    private static final Comparator<Rank> ORDER =
        Comparator.comparing(Rank::exactPath)
            .thenComparingInt(Rank::prefixLength)
            .thenComparing(Rank::method)
            .thenComparingInt(Rank::headers);

    @Override
    public int compareTo(Rank other) {
      return ORDER.compare(this, other);
    }
  }

  /** The highest rank among a rule's matches that take the request; null when none does. */
  static Rank gatewayApi(List<HTTPRouteMatch> matches, SimulatedRequest request) {
    if (matches == null || matches.isEmpty()) {
      return Rank.LOWEST;
    }
    Rank best = null;
    for (var match : matches) {
      if (!takes(match, request)) {
        continue;
      }
      var path = match.getPath();
      String type = path == null || path.getType() == null ? "PathPrefix" : path.getType();
      String value = path == null || path.getValue() == null ? "/" : path.getValue();
      var rank =
          new Rank(
              "Exact".equals(type),
              "PathPrefix".equals(type) ? value.length() : 0,
              match.getMethod() != null,
              match.getHeaders() == null ? 0 : match.getHeaders().size());
      if (best == null || rank.compareTo(best) > 0) {
        best = rank;
      }
    }
    return best;
  }

  private static boolean takes(HTTPRouteMatch match, SimulatedRequest request) {
    if (match.getMethod() != null && !match.getMethod().equals(request.method())) {
      return false;
    }
    var path = match.getPath();
    if (path != null && path.getValue() != null) {
      String type = path.getType() == null ? "PathPrefix" : path.getType();
      boolean taken =
          switch (type) {
            case "Exact" -> request.path().equals(path.getValue());
            case "RegularExpression" -> Pattern.matches(path.getValue(), request.path());
            default -> pathPrefix(path.getValue(), request.path());
          };
      if (!taken) {
        return false;
      }
    }
    for (var header :
        match.getHeaders() == null
            ? List.<io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPHeaderMatch>of()
            : match.getHeaders()) {
      String value = request.headers().get(header.getName().toLowerCase(Locale.ROOT));
      boolean regex = "RegularExpression".equals(header.getType());
      if (value == null
          || (regex
              ? !Pattern.matches(header.getValue(), value)
              : !value.equals(header.getValue()))) {
        return false;
      }
    }
    return true;
  }

  // The Gateway API's PathPrefix matches whole path elements: /api takes /api and /api/x, not
  // /apix.
  private static boolean pathPrefix(String prefix, String path) {
    String trimmed =
        prefix.endsWith("/") && prefix.length() > 1
            ? prefix.substring(0, prefix.length() - 1)
            : prefix;
    return trimmed.equals("/") || path.equals(trimmed) || path.startsWith(trimmed + "/");
  }
}
