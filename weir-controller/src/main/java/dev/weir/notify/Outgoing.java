package dev.weir.notify;

import java.net.URI;
import java.util.Map;
import java.util.Optional;

/**
 * A request ready to leave: where, with which headers, what body, and how to read a 2xx answer. It
 * may carry values from Secrets (a header, the signature, a token in the body or the URL), so it is
 * never logged or shown; {@link #toString} names only the host.
 */
public record Outgoing(URI url, Map<String, String> headers, String body, Acceptance acceptance) {

  /**
   * Whether a destination that answered 2xx took the notice: Slack's Web API answers 200 with
   * {@code {"ok": false, "error": ...}} when it did not.
   */
  @FunctionalInterface
  public interface Acceptance {
    /** Empty when the answer's body says it was taken, else what it says went wrong. */
    Optional<String> failureIn(String answer);

    /** A 2xx is enough. */
    Acceptance ANY_2XX = answer -> Optional.empty();
  }

  public Outgoing {
    headers = Map.copyOf(headers);
  }

  /** A request whose 2xx answer is enough. */
  public Outgoing(URI url, Map<String, String> headers, String body) {
    this(url, headers, body, Acceptance.ANY_2XX);
  }

  /** The headers of a JSON body about a notice: its type, and the notice's id for deduplication. */
  static Map<String, String> jsonHeaders(Notice notice) {
    var headers = new java.util.LinkedHashMap<String, String>();
    headers.put("Content-Type", "application/json");
    headers.put(WebhookRequest.DELIVERY_HEADER, notice.id());
    return headers;
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
}
