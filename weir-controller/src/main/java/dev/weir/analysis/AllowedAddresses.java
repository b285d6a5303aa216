package dev.weir.analysis;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The Prometheus addresses the operator allows credentials and Secret-derived values to be sent to,
 * as URL prefixes ({@code weir.prometheus.allowed-addresses}). A prefix allows an address when
 * scheme, host and port are the same (a missing port is the scheme's default) and the address's
 * path is the prefix's path or lies under it, segment by segment: {@code http://prometheus:9090}
 * allows {@code http://prometheus:9090/tenant-a}, but neither {@code
 * http://prometheus:9090.evil.example} nor {@code http://prometheus:90901}, and {@code
 * https://gateway/prometheus} does not allow {@code https://gateway/prometheus-evil} or {@code
 * https://gateway/prometheus/../admin}.
 *
 * <p>Addresses are compared as the HTTP client reads them ({@link URI#getHost()}), so user info
 * ({@code http://prometheus:9090@evil.example}) cannot pass for a host.
 */
public final class AllowedAddresses {

  private record Prefix(String text, String scheme, String host, int port, List<String> path) {}

  private final List<Prefix> prefixes;

  private AllowedAddresses(List<Prefix> prefixes) {
    this.prefixes = List.copyOf(prefixes);
  }

  /**
   * @throws IllegalArgumentException for a prefix that is not an absolute http(s) URL with a host:
   *     the controller must not start with a list it cannot honour
   */
  public static AllowedAddresses of(Collection<String> prefixes) {
    var parsed = new ArrayList<Prefix>();
    for (String text : prefixes) {
      if (text == null || text.isBlank()) {
        continue;
      }
      var uri =
          parse(text.strip())
              .orElseThrow(
                  () ->
                      new IllegalArgumentException(
                          "allowed Prometheus address '"
                              + text
                              + "' is not an http(s) URL with a host"));
      var path =
          segments(uri)
              .orElseThrow(
                  () ->
                      new IllegalArgumentException(
                          "allowed Prometheus address '" + text + "' has '.' or '..' in its path"));
      if (uri.getRawUserInfo() != null || uri.getRawQuery() != null || uri.getFragment() != null) {
        throw new IllegalArgumentException(
            "allowed Prometheus address '"
                + text
                + "' must be scheme://host[:port][/path], without user, query or fragment");
      }
      parsed.add(new Prefix(text.strip(), scheme(uri), host(uri), port(uri), path));
    }
    return new AllowedAddresses(parsed);
  }

  /** Whether values from Secrets may be sent to this address; false for what is not a URL. */
  public boolean allows(String address) {
    return address != null && parse(address.strip()).map(this::allows).orElse(false);
  }

  public boolean allows(URI address) {
    if (address.getHost() == null || address.getScheme() == null) {
      return false;
    }
    var path = segments(address);
    if (path.isEmpty()) {
      return false;
    }
    for (Prefix prefix : prefixes) {
      if (prefix.scheme.equals(scheme(address))
          && prefix.host.equals(host(address))
          && prefix.port == port(address)
          && path.get().size() >= prefix.path.size()
          && path.get().subList(0, prefix.path.size()).equals(prefix.path)) {
        return true;
      }
    }
    return false;
  }

  /** The prefixes as configured, for messages. */
  public List<String> prefixes() {
    return prefixes.stream().map(Prefix::text).toList();
  }

  @Override
  public String toString() {
    return prefixes().toString();
  }

  private static Optional<URI> parse(String text) {
    try {
      var uri = new URI(text);
      String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
      if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null) {
        return Optional.empty();
      }
      return Optional.of(uri);
    } catch (URISyntaxException e) {
      return Optional.empty();
    }
  }

  private static String scheme(URI uri) {
    return uri.getScheme().toLowerCase(Locale.ROOT);
  }

  private static String host(URI uri) {
    return uri.getHost().toLowerCase(Locale.ROOT);
  }

  private static int port(URI uri) {
    if (uri.getPort() != -1) {
      return uri.getPort();
    }
    return scheme(uri).equals("https") ? 443 : 80;
  }

  /**
   * The path's segments, decoded as a server would read them (an encoded slash or dot included),
   * without empty ones; empty when a segment is {@code .} or {@code ..}, which a server or proxy
   * may resolve to a place outside any prefix.
   */
  private static Optional<List<String>> segments(URI uri) {
    String path = uri.getPath() == null ? "" : uri.getPath();
    var segments = new ArrayList<String>();
    for (String segment : path.split("[/\\\\]")) {
      if (segment.equals(".") || segment.equals("..")) {
        return Optional.empty();
      }
      if (!segment.isEmpty()) {
        segments.add(segment);
      }
    }
    return Optional.of(segments);
  }
}
