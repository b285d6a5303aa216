package dev.weir.analysis.provider.prometheus;

import static dev.weir.analysis.provider.QueryResult.Outcome.ERROR;
import static dev.weir.analysis.provider.QueryResult.Outcome.NO_DATA;
import static dev.weir.analysis.provider.QueryResult.Outcome.VALUES;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpServer;
import dev.weir.analysis.provider.QueryResult;
import dev.weir.testing.GaugeExporter;
import dev.weir.testing.LogCapture;
import dev.weir.testing.PrometheusServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The Prometheus provider against the real Prometheus server (Debian's 2.42), which scrapes a gauge
 * exporter every second; the answers are what an AnalysisRun would record.
 */
class PrometheusProviderTest {

  private static final Duration TIMEOUT = Duration.ofSeconds(5);
  private static final Duration AWAIT = Duration.ofSeconds(30);

  private static final String TOKEN = "t0ken-that-must-not-leak";
  private static final String PASSWORD = "pa55word-that-must-not-leak";
  private static final String API_KEY = "api-key-that-must-not-leak";

  private static final Map<String, String> CANARY = Map.of("revision", "canary");
  private static final Map<String, String> STABLE = Map.of("revision", "stable");

  private static final PrometheusProvider provider = new PrometheusProvider();
  private static GaugeExporter exporter;
  private static PrometheusServer prometheus;

  @BeforeAll
  static void prometheusScrapesTheExporter() {
    exporter =
        GaugeExporter.start()
            .set("checkout_success_ratio", 0.99)
            .set("checkout_error_ratio", CANARY, 0.2)
            .set("checkout_error_ratio", STABLE, 0.01)
            .set("checkout_latency_seconds", Map.of("quantile", "nan"), Double.NaN)
            .set("checkout_latency_seconds", Map.of("quantile", "pos"), Double.POSITIVE_INFINITY)
            .set("checkout_latency_seconds", Map.of("quantile", "neg"), Double.NEGATIVE_INFINITY)
            .set("checkout_version", 1);
    prometheus = PrometheusServer.start(List.of(exporter.target()));
    prometheus.awaitTargetsUp();
    prometheus.awaitSeries("checkout_error_ratio");
  }

  @AfterAll
  static void stop() {
    if (prometheus != null) {
      prometheus.close();
    }
    if (exporter != null) {
      exporter.close();
    }
  }

  private static QueryResult instant(String promql) {
    return provider.query(PrometheusQuery.instant(prometheus.address(), promql, TIMEOUT));
  }

  @Nested
  class Answers {

    @Test
    void aVectorOfOneSeriesIsOneValue() {
      var result = instant("checkout_success_ratio");

      assertThat(result.outcome()).isEqualTo(VALUES);
      assertThat(result.values()).containsExactly(0.99);
      assertThat(result.message()).isEmpty();
      assertThat(result.took()).isPositive();
    }

    @Test
    void aVectorOfSeveralSeriesIsOneValuePerSeriesInPrometheusOrder() {
      assertThat(instant("sort_desc(checkout_error_ratio)").values()).containsExactly(0.2, 0.01);
      assertThat(instant("sort(checkout_error_ratio)").values()).containsExactly(0.01, 0.2);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
      "scalar(checkout_success_ratio), 0.99",
      "vector(1), 1",
      "0.5, 0.5",
      "checkout_success_ratio * 100, 99",
    })
    void aScalarIsOneValue(String promql, double expected) {
      var result = instant(promql);

      assertThat(result.outcome()).isEqualTo(VALUES);
      assertThat(result.values()).containsExactly(expected);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
      "checkout_latency_seconds{quantile=\"nan\"}, NaN",
      "checkout_latency_seconds{quantile=\"pos\"}, Infinity",
      "checkout_latency_seconds{quantile=\"neg\"}, -Infinity",
      "scalar(checkout_error_ratio), NaN",
      "checkout_success_ratio / 0, Infinity",
    })
    void notANumberAndInfinitiesAreValuesForTheJudge(String promql, String expected) {
      var result = instant(promql);

      assertThat(result.outcome()).isEqualTo(VALUES);
      assertThat(result.values()).containsExactly(Double.parseDouble(expected));
    }

    @Test
    void noSeriesIsNoData() {
      var result = instant("checkout_error_ratio{revision=\"preview\"}");

      assertThat(result.outcome()).isEqualTo(NO_DATA);
      assertThat(result.values()).isEmpty();
      assertThat(result.message()).isEqualTo("query returned no series");
    }

    @Test
    void aStringCannotBeJudged() {
      var result = instant("\"ready\"");

      assertThat(result.outcome()).isEqualTo(ERROR);
      assertThat(result.message())
          .contains("\"ready\"")
          .endsWith("string results cannot be judged");
    }

    @Test
    void aParseErrorCarriesPrometheusOwnWords() {
      var result = instant("sum(rate(checkout_error_ratio[1m])");

      assertThat(result.outcome()).isEqualTo(ERROR);
      assertThat(result.message())
          .isEqualTo(
              "Prometheus rejected the query (bad_data): invalid parameter \"query\": 1:35:"
                  + " parse error: unclosed left parenthesis");
    }
  }

  @Nested
  class RangeQueries {

    private QueryResult range(String promql, Duration lookback, Duration step) {
      return provider.query(
          PrometheusQuery.instant(prometheus.address(), promql, TIMEOUT).withRange(lookback, step));
    }

    @Test
    void aMatrixIsEverySampleSeriesAfterSeries() {
      // Prometheus sorts the series of a range query by labels: canary, then stable.
      var result =
          await()
              .atMost(AWAIT)
              .until(
                  () ->
                      range("checkout_error_ratio", Duration.ofSeconds(20), Duration.ofSeconds(1)),
                  r -> r.values().size() >= 6);

      int half = result.values().size() / 2;
      assertThat(result.outcome()).isEqualTo(VALUES);
      assertThat(result.values()).hasSize(2 * half);
      assertThat(result.values().subList(0, half)).containsOnly(0.2);
      assertThat(result.values().subList(half, 2 * half)).containsOnly(0.01);
    }

    @Test
    void theSamplesOfASeriesComeInTimeOrder() {
      await()
          .atMost(AWAIT)
          .until(() -> instant("checkout_version").values(), v -> v.equals(List.of(1.0)));
      exporter.set("checkout_version", 2);
      await()
          .atMost(AWAIT)
          .until(() -> instant("checkout_version").values(), v -> v.equals(List.of(2.0)));

      var result = range("checkout_version", Duration.ofSeconds(60), Duration.ofSeconds(1));

      assertThat(result.values()).contains(1.0, 2.0).isSorted();
      assertThat(result.values().get(result.values().size() - 1)).isEqualTo(2.0);
    }

    @Test
    void anInstantQueryOfARangeSelectorIsAMatrixToo() {
      var result =
          await()
              .atMost(AWAIT)
              .until(() -> instant("checkout_success_ratio[10s]"), r -> r.values().size() >= 2);

      assertThat(result.outcome()).isEqualTo(VALUES);
      assertThat(result.values()).containsOnly(0.99);
    }

    @Test
    void aRangeWithoutSeriesIsNoData() {
      var result = range("checkout_refunds_total", Duration.ofMinutes(5), Duration.ofSeconds(15));

      assertThat(result.outcome()).isEqualTo(NO_DATA);
      assertThat(result.message()).isEqualTo("query returned no series");
    }

    @Test
    void tooManyPointsAreRefusedByPrometheus() {
      var result = range("checkout_success_ratio", Duration.ofDays(1), Duration.ofSeconds(1));

      assertThat(result.outcome()).isEqualTo(ERROR);
      assertThat(result.message())
          .startsWith("Prometheus rejected the query (bad_data): exceeded maximum resolution");
    }
  }

  @Nested
  class Unreachable {

    @Test
    void anUnknownHostIsAnError() {
      var result =
          provider.query(
              PrometheusQuery.instant(
                  URI.create("http://prometheus.weir-test.invalid:9090"), "vector(1)", TIMEOUT));

      assertThat(result.outcome()).isEqualTo(ERROR);
      assertThat(result.message())
          .isEqualTo(
              "Prometheus at http://prometheus.weir-test.invalid:9090 unreachable:"
                  + " unknown host prometheus.weir-test.invalid");
    }

    @Test
    void aStoppedServerIsAnErrorUntilItIsBack() {
      try (var server = PrometheusServer.builder().start()) {
        var query = PrometheusQuery.instant(server.address(), "vector(1)", TIMEOUT);
        assertThat(provider.query(query).values()).containsExactly(1.0);

        server.stop();
        var result = provider.query(query);

        assertThat(result.outcome()).isEqualTo(ERROR);
        assertThat(result.message())
            .isEqualTo("Prometheus at " + server.address() + " unreachable: Connection refused");

        server.restart();
        assertThat(provider.query(query).values()).containsExactly(1.0);
      }
    }

    @Test
    void aServerThatNeverAnswersIsATimeout() throws IOException {
      // The kernel accepts connections into the backlog; nobody ever reads the request.
      try (var silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
        var address = URI.create("http://127.0.0.1:" + silent.getLocalPort());

        var result =
            provider.query(PrometheusQuery.instant(address, "vector(1)", Duration.ofMillis(500)));

        assertThat(result.outcome()).isEqualTo(ERROR);
        assertThat(result.message())
            .isEqualTo("no answer from Prometheus at " + address + " within 0.5s");
      }
    }

    @Test
    void aWrongPathIsAnErrorWithTheStatusAndBody() {
      var address = URI.create(prometheus.address() + "/not-prometheus");

      var result = provider.query(PrometheusQuery.instant(address, "vector(1)", TIMEOUT));

      assertThat(result.outcome()).isEqualTo(ERROR);
      assertThat(result.message())
          .isEqualTo("Prometheus at " + address + " answered HTTP 404: 404 page not found");
    }

    @Test
    void aProxyErrorPageIsShownByItsFirstLineCutShort() {
      String page =
          "<html><head><title>502 Bad Gateway</title></head>"
              + "x".repeat(500)
              + "\n<body>second line</body></html>";
      try (var proxy = PrometheusLookalike.answering(502, page)) {
        var result = provider.query(PrometheusQuery.instant(proxy.address(), "up", TIMEOUT));

        assertThat(result.outcome()).isEqualTo(ERROR);
        assertThat(result.message())
            .startsWith(
                "Prometheus at "
                    + proxy.address()
                    + " answered HTTP 502: <html><head><title>502 Bad Gateway</title>")
            .endsWith("xxx…")
            .doesNotContain("second line");
      }
    }
  }

  @Nested
  class Tls {

    private static PrometheusServer elsewhere;

    @BeforeAll
    static void serveACertificateForAnotherHost() {
      elsewhere =
          PrometheusServer.builder().tls(List.of("DNS:prometheus.elsewhere.invalid")).start();
    }

    @AfterAll
    static void stop() {
      elsewhere.close();
    }

    @Test
    void insecureAcceptsASelfSignedCertificateForAnotherHost() {
      var result =
          provider.query(
              PrometheusQuery.instant(elsewhere.address(), "vector(1)", TIMEOUT)
                  .withInsecure(true));

      assertThat(result.outcome()).isEqualTo(VALUES);
      assertThat(result.values()).containsExactly(1.0);
    }

    @Test
    void withoutInsecureTheCertificateIsVerified() {
      var result =
          provider.query(PrometheusQuery.instant(elsewhere.address(), "vector(1)", TIMEOUT));

      assertThat(result.outcome()).isEqualTo(ERROR);
      assertThat(result.message())
          .startsWith("TLS handshake with Prometheus at " + elsewhere.address() + " failed: ")
          .contains("PKIX path building failed");
    }
  }

  @Nested
  class BasicAuth {

    private static PrometheusServer guarded;

    @BeforeAll
    static void askForAPassword() {
      guarded = PrometheusServer.builder().basicAuth("weir", PASSWORD).start();
    }

    @AfterAll
    static void stop() {
      guarded.close();
    }

    @Test
    void theRightPasswordIsLetIn() {
      var result =
          provider.query(
              PrometheusQuery.instant(guarded.address(), "vector(1)", TIMEOUT)
                  .withBasicAuth("weir", PASSWORD));

      assertThat(result.values()).containsExactly(1.0);
    }

    @Test
    void aWrongPasswordIsAnErrorThatDoesNotRepeatIt() {
      var result =
          provider.query(
              PrometheusQuery.instant(guarded.address(), "vector(1)", TIMEOUT)
                  .withBasicAuth("weir", "not-" + PASSWORD));

      assertThat(result.outcome()).isEqualTo(ERROR);
      assertThat(result.message())
          .isEqualTo("Prometheus at " + guarded.address() + " answered HTTP 401: Unauthorized")
          .doesNotContain(PASSWORD);
    }

    @Test
    void noCredentialsIsAnError() {
      var result = provider.query(PrometheusQuery.instant(guarded.address(), "vector(1)", TIMEOUT));

      assertThat(result.outcome()).isEqualTo(ERROR);
      assertThat(result.message()).endsWith("answered HTTP 401: Unauthorized");
    }
  }

  /** Prometheus checks no bearer tokens; a lookalike on loopback shows what is sent. */
  @Nested
  class WhatIsSent {

    private static final String ANSWER =
        "{\"status\":\"success\",\"data\":{\"resultType\":\"scalar\",\"result\":[1700000000,\"1\"]}}";

    @Test
    void theBearerTokenAndTheHeadersGoWithTheQuery() {
      try (var lookalike = PrometheusLookalike.answering(200, ANSWER)) {
        var result =
            provider.query(
                PrometheusQuery.instant(
                        URI.create(lookalike.address() + "/prometheus/"),
                        "sum(checkout_error_ratio)",
                        TIMEOUT)
                    .withHeaders(Map.of("X-Scope-OrgID", "shop"))
                    .withBearerToken(TOKEN));

        assertThat(result.values()).containsExactly(1.0);
        var request = lookalike.lastRequest();
        assertThat(request.method()).isEqualTo("POST");
        assertThat(request.path()).isEqualTo("/prometheus/api/v1/query");
        assertThat(request.header("Authorization")).isEqualTo("Bearer " + TOKEN);
        assertThat(request.header("X-Scope-OrgID")).isEqualTo("shop");
        assertThat(request.body()).isEqualTo("query=sum%28checkout_error_ratio%29&timeout=5");
      }
    }

    @Test
    void aRangeQueryEndsNow() {
      var now = Instant.parse("2023-11-14T22:13:20Z"); // 1700000000
      var clockedProvider = new PrometheusProvider(Clock.fixed(now, ZoneOffset.UTC));
      try (var lookalike = PrometheusLookalike.answering(200, ANSWER)) {
        clockedProvider.query(
            PrometheusQuery.instant(lookalike.address(), "up", Duration.ofMillis(2500))
                .withRange(Duration.ofMinutes(10), Duration.ofSeconds(30)));

        var request = lookalike.lastRequest();
        assertThat(request.path()).isEqualTo("/api/v1/query_range");
        assertThat(request.body())
            .isEqualTo("query=up&start=1699999400.000&end=1700000000.000&step=30&timeout=2.5");
      }
    }
  }

  @Nested
  class Secrets {

    @Test
    void toStringShowsNeitherTokenNorPasswordNorHeaderValues() {
      var query =
          PrometheusQuery.instant(
                  URI.create("https://prometheus.example:9090"), "vector(1)", TIMEOUT)
              .withHeaders(Map.of("X-Api-Key", API_KEY))
              .withBearerToken(TOKEN)
              .withBasicAuth("weir", PASSWORD);

      assertThat(query.toString())
          .contains("https://prometheus.example:9090", "X-Api-Key", "weir")
          .doesNotContain(TOKEN, PASSWORD, API_KEY);
      assertThat(query.basicAuth().orElseThrow().toString()).doesNotContain(PASSWORD);
    }

    @Test
    void messagesAndLogsShowNoSecrets() {
      var address = URI.create("http://weir:" + PASSWORD + "@prometheus.weir-test.invalid:9090");
      try (var logs = LogCapture.start()) {
        var result =
            provider.query(
                PrometheusQuery.instant(address, "vector(1)", TIMEOUT)
                    .withHeaders(Map.of("X-Api-Key", API_KEY))
                    .withBearerToken(TOKEN));

        assertThat(result.outcome()).isEqualTo(ERROR);
        assertThat(result.message())
            .startsWith("Prometheus at http://prometheus.weir-test.invalid:9090 unreachable")
            .doesNotContain(PASSWORD, TOKEN, API_KEY);
        assertThat(String.join("\n", logs.lines())).doesNotContain(PASSWORD, TOKEN, API_KEY);
      }
    }
  }

  /**
   * A loopback HTTP server that answers every request with one status and body, as Prometheus or a
   * proxy in front of it would, and keeps the last request.
   */
  private static final class PrometheusLookalike implements AutoCloseable {

    record Request(String method, String path, Headers headers, String body) {
      String header(String name) {
        return headers.getFirst(name);
      }
    }

    private final HttpServer server;
    private final AtomicReference<Request> last = new AtomicReference<>();

    private PrometheusLookalike(int status, String body) throws IOException {
      server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
      server.createContext(
          "/",
          exchange -> {
            var headers = new Headers();
            headers.putAll(exchange.getRequestHeaders());
            last.set(
                new Request(
                    exchange.getRequestMethod(),
                    exchange.getRequestURI().getPath(),
                    headers,
                    new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8)));
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(status, bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
          });
      server.start();
    }

    static PrometheusLookalike answering(int status, String body) {
      try {
        return new PrometheusLookalike(status, body);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    URI address() {
      return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    Request lastRequest() {
      return last.get();
    }

    @Override
    public void close() {
      server.stop(0);
    }
  }
}
