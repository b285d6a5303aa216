package dev.weir.analysis.provider.prometheus;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * One resolved Prometheus query: args substituted, secrets read.
 *
 * @param address the server, e.g. {@code http://prometheus.monitoring:9090}; a path is kept as a
 *     prefix (a server behind a reverse proxy at {@code https://example/prometheus})
 * @param promql the query
 * @param timeout how long to wait for the whole answer; also sent as Prometheus' own {@code
 *     timeout}
 * @param headers extra request headers (a tenant header, an API key)
 * @param bearerToken sent as {@code Authorization: Bearer}; wins over {@code basicAuth}
 * @param basicAuth sent as {@code Authorization: Basic}
 * @param insecure accept any TLS certificate for any host name
 * @param range empty for an instant query; otherwise a range query ending now
 * @param clientCertificate present the controller's TLS client certificate, if it has one: only to
 *     addresses the operator allowed
 */
public record PrometheusQuery(
    URI address,
    String promql,
    Duration timeout,
    Map<String, String> headers,
    Optional<String> bearerToken,
    Optional<BasicCredentials> basicAuth,
    boolean insecure,
    Optional<RangeWindow> range,
    boolean clientCertificate) {

  private static final String HIDDEN = "***";

  /** A user name and password for HTTP basic authentication. */
  public record BasicCredentials(String username, String password) {

    public BasicCredentials {
      Objects.requireNonNull(username, "username");
      Objects.requireNonNull(password, "password");
    }

    /** Never prints the password. */
    @Override
    public String toString() {
      return "BasicCredentials[username=" + username + ", password=" + HIDDEN + "]";
    }
  }

  /** A range query over {@code [now - lookback, now]} with the given step. */
  public record RangeWindow(Duration lookback, Duration step) {

    public RangeWindow {
      Objects.requireNonNull(lookback, "lookback");
      Objects.requireNonNull(step, "step");
      if (lookback.isNegative() || step.isZero() || step.isNegative()) {
        throw new IllegalArgumentException(
            "a range needs a lookback of zero or more and a positive step, was "
                + lookback
                + " and "
                + step);
      }
    }
  }

  public PrometheusQuery {
    Objects.requireNonNull(address, "address");
    Objects.requireNonNull(promql, "promql");
    Objects.requireNonNull(timeout, "timeout");
    if (timeout.isZero() || timeout.isNegative()) {
      throw new IllegalArgumentException("timeout must be positive, was " + timeout);
    }
    headers = Map.copyOf(headers);
    Objects.requireNonNull(bearerToken, "bearerToken");
    Objects.requireNonNull(basicAuth, "basicAuth");
    Objects.requireNonNull(range, "range");
  }

  /** An instant query without credentials, headers or TLS exceptions. */
  public static PrometheusQuery instant(URI address, String promql, Duration timeout) {
    return new PrometheusQuery(
        address,
        promql,
        timeout,
        Map.of(),
        Optional.empty(),
        Optional.empty(),
        false,
        Optional.empty(),
        false);
  }

  public PrometheusQuery withHeaders(Map<String, String> headers) {
    return new PrometheusQuery(
        address,
        promql,
        timeout,
        headers,
        bearerToken,
        basicAuth,
        insecure,
        range,
        clientCertificate);
  }

  public PrometheusQuery withBearerToken(String token) {
    return new PrometheusQuery(
        address,
        promql,
        timeout,
        headers,
        Optional.of(token),
        basicAuth,
        insecure,
        range,
        clientCertificate);
  }

  public PrometheusQuery withBasicAuth(String username, String password) {
    return new PrometheusQuery(
        address,
        promql,
        timeout,
        headers,
        bearerToken,
        Optional.of(new BasicCredentials(username, password)),
        insecure,
        range,
        clientCertificate);
  }

  public PrometheusQuery withInsecure(boolean insecure) {
    return new PrometheusQuery(
        address,
        promql,
        timeout,
        headers,
        bearerToken,
        basicAuth,
        insecure,
        range,
        clientCertificate);
  }

  /** The same query over {@code [now - lookback, now]}, one point per {@code step}. */
  public PrometheusQuery withRange(Duration lookback, Duration step) {
    return new PrometheusQuery(
        address,
        promql,
        timeout,
        headers,
        bearerToken,
        basicAuth,
        insecure,
        Optional.of(new RangeWindow(lookback, step)),
        clientCertificate);
  }

  /** The same query, presenting the controller's client certificate or not. */
  public PrometheusQuery withClientCertificate(boolean present) {
    return new PrometheusQuery(
        address, promql, timeout, headers, bearerToken, basicAuth, insecure, range, present);
  }

  /** The address as messages show it: without user info, which may hold a password. */
  public String shownAddress() {
    if (address.getRawUserInfo() == null) {
      return address.toString();
    }
    return address.toString().replace(address.getRawUserInfo() + "@", "");
  }

  /** Never prints the token, the password or header values (they may carry API keys). */
  @Override
  public String toString() {
    var shownHeaders = new TreeMap<String, String>();
    headers.keySet().forEach(name -> shownHeaders.put(name, HIDDEN));
    return "PrometheusQuery[address="
        + shownAddress()
        + ", promql="
        + promql
        + ", timeout="
        + timeout
        + ", headers="
        + shownHeaders
        + ", bearerToken="
        + bearerToken.map(t -> HIDDEN).orElse("none")
        + ", basicAuth="
        + basicAuth.map(BasicCredentials::toString).orElse("none")
        + ", insecure="
        + insecure
        + ", range="
        + range.map(RangeWindow::toString).orElse("none")
        + ", clientCertificate="
        + clientCertificate
        + "]";
  }
}
