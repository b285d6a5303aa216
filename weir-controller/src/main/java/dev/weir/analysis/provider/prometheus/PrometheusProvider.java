package dev.weir.analysis.provider.prometheus;

import dev.weir.analysis.provider.MetricProvider;
import dev.weir.analysis.provider.QueryResult;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;
import javax.net.ssl.SSLException;

/**
 * Asks a Prometheus server through its HTTP API ({@code /api/v1/query}, {@code
 * /api/v1/query_range}). Every bad answer is a {@link QueryResult}, never an exception: an
 * unreachable server, a timeout, a query Prometheus rejects, a proxy's error page.
 *
 * <p>Thread-safe; meant to be shared. It holds an HTTP client that verifies certificates (the
 * system's CAs and the operator's own), one that also presents the operator's client certificate
 * (for the queries that ask for it: those to allowed addresses), and one for {@code insecure}
 * queries, so connections are pooled across queries. An {@code insecure} query presents no client
 * certificate: a server whose identity is not checked gets no proof of the controller's.
 *
 * <p>Nothing here logs: the query may carry tokens, passwords and API keys in its headers.
 */
public final class PrometheusProvider implements MetricProvider<PrometheusQuery> {

  private final HttpClient verifying;
  private final HttpClient presenting;
  private final HttpClient insecure;
  private final Clock clock;

  public PrometheusProvider() {
    this(Clock.systemUTC());
  }

  /** With the clock that says when "now" is for range queries. */
  public PrometheusProvider(Clock clock) {
    this(clock, PrometheusTls.none());
  }

  /**
   * With the operator's TLS settings.
   *
   * @throws IllegalArgumentException when they name files that hold no usable certificate or key
   */
  public PrometheusProvider(Clock clock, PrometheusTls tls) {
    this.clock = clock;
    this.verifying = client().sslContext(tls.context(false)).build();
    this.presenting =
        tls.hasClientCertificate() ? client().sslContext(tls.context(true)).build() : verifying;
    this.insecure = client().sslContext(AnyCertificateTrust.sslContext()).build();
  }

  private static HttpClient.Builder client() {
    // HTTP/1.1: no h2c upgrade dance with servers and proxies that do not expect it.
    // No redirects: a POSTed query redirected to a login page would come back as a GET without
    // its query; the user is better served by "answered HTTP 302, redirecting to ...".
    return HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .followRedirects(HttpClient.Redirect.NEVER);
  }

  @Override
  public QueryResult query(PrometheusQuery query) {
    String address = query.shownAddress();
    HttpRequest request;
    try {
      request = request(query);
    } catch (IllegalArgumentException e) {
      String why = String.valueOf(e.getMessage());
      if (query.address().getRawUserInfo() != null) {
        why = why.replace(query.address().getRawUserInfo(), "***");
      }
      return QueryResult.error("cannot query Prometheus at " + address + ": " + why, Duration.ZERO);
    }
    long start = System.nanoTime();
    try {
      HttpResponse<String> response =
          http(query).send(request, HttpResponse.BodyHandlers.ofString());
      return PrometheusAnswer.read(
          address,
          response.statusCode(),
          response.body(),
          response.headers().firstValue("Location").orElse(null),
          since(start));
    } catch (HttpTimeoutException e) {
      return QueryResult.error(
          "no answer from Prometheus at " + address + " within " + shown(query.timeout()),
          since(start));
    } catch (IOException e) {
      return QueryResult.error(failure(address, query.address(), e), since(start));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return QueryResult.error("interrupted while querying Prometheus at " + address, since(start));
    }
  }

  private HttpClient http(PrometheusQuery query) {
    if (query.insecure()) {
      return insecure;
    }
    return query.clientCertificate() ? presenting : verifying;
  }

  private HttpRequest request(PrometheusQuery query) {
    String scheme = query.address().getScheme();
    if (query.address().getHost() == null || !("http".equals(scheme) || "https".equals(scheme))) {
      throw new IllegalArgumentException("the address must be an http:// or https:// URL");
    }
    var form = new LinkedHashMap<String, String>();
    form.put("query", query.promql());
    String endpoint = "/api/v1/query";
    if (query.range().isPresent()) {
      var window = query.range().get();
      Instant end = clock.instant();
      form.put("start", seconds(end.minus(window.lookback())));
      form.put("end", seconds(end));
      form.put("step", seconds(window.step()));
      endpoint = "/api/v1/query_range";
    }
    // Prometheus gives up on its side too, and says so, rather than computing for nobody.
    form.put("timeout", seconds(query.timeout()));

    var builder =
        HttpRequest.newBuilder(endpoint(query.address(), endpoint))
            .timeout(query.timeout())
            .header("Accept", "application/json")
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString(encode(form)));
    query
        .headers()
        .forEach(
            (name, value) -> {
              try {
                builder.setHeader(name, value);
              } catch (IllegalArgumentException e) {
                // The JDK's message may quote the value, which may be a secret.
                throw new IllegalArgumentException("header '" + name + "' cannot be sent");
              }
            });
    query
        .basicAuth()
        .ifPresent(
            credentials ->
                builder.setHeader(
                    "Authorization",
                    "Basic "
                        + Base64.getEncoder()
                            .encodeToString(
                                (credentials.username() + ":" + credentials.password())
                                    .getBytes(StandardCharsets.UTF_8))));
    query.bearerToken().ifPresent(token -> builder.setHeader("Authorization", "Bearer " + token));
    return builder.build();
  }

  /** The API path under the address, which may carry a path prefix of its own. */
  private static URI endpoint(URI address, String path) {
    String base = address.toString();
    while (base.endsWith("/")) {
      base = base.substring(0, base.length() - 1);
    }
    return URI.create(base + path);
  }

  private static String encode(Map<String, String> form) {
    return form.entrySet().stream()
        .map(
            e ->
                URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8)
                    + "="
                    + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
        .collect(Collectors.joining("&"));
  }

  /** What went wrong on the way, in the words of the deepest cause that has some. */
  private static String failure(String address, URI uri, IOException e) {
    String detail = null;
    boolean connecting = false;
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof UnresolvedAddressException || t instanceof UnknownHostException) {
        return "Prometheus at " + address + " unreachable: unknown host " + uri.getHost();
      }
      if (t instanceof SSLException) {
        return "TLS handshake with Prometheus at " + address + " failed: " + t.getMessage();
      }
      connecting |= t instanceof ConnectException;
      if (t.getMessage() != null) {
        detail = t.getMessage();
      }
    }
    if (detail == null) {
      // JDK 17's HttpClient drops the operating system's words for a refused connection: a bare
      // ConnectException caused by a ClosedChannelException, no message anywhere.
      detail = connecting ? "Connection refused" : e.getClass().getSimpleName();
    }
    return connecting
        ? "Prometheus at " + address + " unreachable: " + detail
        : "the exchange with Prometheus at " + address + " failed: " + detail;
  }

  /** Seconds as Prometheus reads them in parameters: a decimal number, to the millisecond. */
  private static String seconds(Duration duration) {
    return BigDecimal.valueOf(duration.toMillis(), 3).stripTrailingZeros().toPlainString();
  }

  private static String seconds(Instant instant) {
    return BigDecimal.valueOf(instant.toEpochMilli(), 3).toPlainString();
  }

  private static String shown(Duration duration) {
    return seconds(duration) + "s";
  }

  private static Duration since(long startNanos) {
    return Duration.ofNanos(System.nanoTime() - startNanos);
  }
}
