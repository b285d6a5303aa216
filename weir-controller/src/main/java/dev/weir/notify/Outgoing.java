package dev.weir.notify;

import java.net.URI;
import java.util.List;
import java.util.Map;

/**
 * A request ready to leave: where, with which headers, what body. It may carry values from Secrets
 * (a header, the signature), so it is never logged or shown; {@link #toString} names only the host.
 */
public record Outgoing(URI url, Map<String, String> headers, String body) {

  public Outgoing {
    headers = Map.copyOf(headers);
  }

  /** Where it goes, as messages may say it: scheme, host and port, no path (it may be a token). */
  public String shownAddress() {
    return shown(url);
  }

  /** A URL as messages may say it: scheme, host and port. */
  public static String shown(URI url) {
    return url.getScheme()
        + "://"
        + url.getHost()
        + (url.getPort() == -1 ? "" : ":" + url.getPort());
  }

  @Override
  public String toString() {
    return "POST " + shownAddress();
  }

  /** What kept a notice from leaving: the problems, named by the policy's fields. */
  public record Refused(List<dev.weir.api.v1alpha1.SpecProblem> problems) {}
}
