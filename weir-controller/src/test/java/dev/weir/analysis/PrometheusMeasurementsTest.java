package dev.weir.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.weir.analysis.provider.QueryResult;
import dev.weir.analysis.provider.prometheus.PrometheusProvider;
import dev.weir.analysis.provider.prometheus.PrometheusQuery;
import dev.weir.api.v1alpha1.AnalysisArgument;
import dev.weir.api.v1alpha1.Metric;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The last check before a query leaves: nothing from a Secret goes to an address the operator did
 * not allow, also when the address is only known at the measurement (filled in from a Secret). Such
 * a query is not sent; the measurement is an Error that says why. A real HTTP listener on a second
 * loopback address plays the address a template's author would like the token sent to.
 */
class PrometheusMeasurementsTest {

  private static final String ALLOWED = "http://127.0.0.1:9";

  private HttpServer rogue;
  private final AtomicInteger received = new AtomicInteger();
  private final List<PrometheusQuery> asked = new ArrayList<>();

  @BeforeEach
  void startRogueListener() throws IOException {
    rogue = HttpServer.create(new InetSocketAddress("127.0.0.2", 0), 0);
    rogue.createContext(
        "/",
        exchange -> {
          received.incrementAndGet();
          byte[] body =
              "{\"status\":\"success\",\"data\":{\"resultType\":\"scalar\",\"result\":[0,\"1\"]}}"
                  .getBytes(StandardCharsets.UTF_8);
          exchange.sendResponseHeaders(200, body.length);
          exchange.getResponseBody().write(body);
          exchange.close();
        });
    rogue.start();
  }

  @AfterEach
  void stopRogueListener() {
    rogue.stop(0);
  }

  private String rogueAddress() {
    return "http://127.0.0.2:" + rogue.getAddress().getPort();
  }

  /** A metric {@code m} whose provider.prometheus is the YAML given. */
  private static Metric metric(String prometheus) {
    return Serialization.unmarshal(
        "name: m\nprovider:\n  prometheus:\n" + prometheus.indent(4), Metric.class);
  }

  private static ArgumentValues args(Map<String, String> secrets) {
    var args =
        List.of(
            Serialization.unmarshal(
                """
            - name: token
              valueFrom: {secretKeyRef: {name: prom, key: token}}
            - name: url
              valueFrom: {secretKeyRef: {name: prom, key: url}}
            - name: tenant
              value: acme
            """,
                AnalysisArgument[].class));
    return ArgumentValues.of(args, (name, key) -> secrets.get(key));
  }

  private PrometheusMeasurements recording() {
    return new PrometheusMeasurements(
        query -> {
          asked.add(query);
          return QueryResult.values(List.of(1.0), Duration.ZERO);
        },
        PrometheusSettings.of(Optional.of(ALLOWED), Duration.ofSeconds(5)));
  }

  private PrometheusMeasurements real() {
    return new PrometheusMeasurements(
        new PrometheusProvider(),
        PrometheusSettings.of(Optional.of(ALLOWED), Duration.ofSeconds(5)));
  }

  @Test
  void anAddressFilledInFromASecretOutsideTheListGetsNoRequest() {
    var values = args(Map.of("token", "s3cr3t", "url", rogueAddress()));
    var metric =
        metric(
            """
            address: "{{args.url}}"
            query: up
            headers: [{name: X-Api-Key, value: "{{args.token}}"}]
            """);

    var result = real().measure(metric, false, values, (n, k) -> "unused", Optional.empty());

    assertThat(result.outcome()).isEqualTo(QueryResult.Outcome.ERROR);
    assertThat(values.mask(result.message()))
        .startsWith("not sent: ")
        .contains("is not an allowed Prometheus address")
        .contains("header 'X-Api-Key' (arg 'token'), the address (arg 'url')")
        .doesNotContain("s3cr3t");
    assertThat(received).as("requests the rogue listener received").hasValue(0);
  }

  @Test
  void credentialsForAnAddressOutsideTheListAreNeverReadNorSent() {
    var reads = new ArrayList<String>();
    var metric =
        metric(
            """
            address: %s
            query: up
            authentication: {bearerToken: {name: prom, key: token}}
            """
                .formatted(rogueAddress()));

    var result =
        real()
            .measure(
                metric,
                false,
                args(Map.of()),
                (name, key) -> {
                  reads.add(name + "/" + key);
                  return "s3cr3t";
                },
                Optional.empty());

    assertThat(result.outcome()).isEqualTo(QueryResult.Outcome.ERROR);
    assertThat(result.message()).endsWith("the bearer token (Secret prom)");
    assertThat(reads).isEmpty();
    assertThat(received).hasValue(0);
  }

  @Test
  void anAddressOutsideTheListGetsWhatNeedsNoSecretButNotTheClientCertificate() {
    var result =
        real()
            .measure(
                metric(
                    """
                    address: %s
                    query: up
                    headers: [{name: X-Scope-OrgID, value: "{{args.tenant}}"}]
                    """
                        .formatted(rogueAddress())),
                false,
                args(Map.of()),
                (n, k) -> "unused",
                Optional.empty());

    assertThat(result.values()).containsExactly(1.0);
    assertThat(received).hasValue(1);

    recording()
        .measure(
            metric("address: %s\nquery: up".formatted(rogueAddress())),
            false,
            args(Map.of()),
            (n, k) -> "unused",
            Optional.empty());
    assertThat(asked).singleElement().satisfies(q -> assertThat(q.clientCertificate()).isFalse());
  }

  @Test
  void theAllowedAddressGetsTheSecretsAndTheClientCertificate() {
    var result =
        recording()
            .measure(
                metric(
                    """
                    query: up
                    headers: [{name: X-Api-Key, value: "{{args.token}}"}]
                    authentication: {bearerToken: {name: prom, key: token}}
                    """),
                false,
                args(Map.of("token", "s3cr3t", "url", "unused")),
                (name, key) -> "t0ken",
                Optional.empty());

    assertThat(result.values()).containsExactly(1.0);
    assertThat(asked)
        .singleElement()
        .satisfies(
            q -> {
              assertThat(q.address()).hasToString(ALLOWED);
              assertThat(q.headers()).containsEntry("X-Api-Key", "s3cr3t");
              assertThat(q.bearerToken()).contains("t0ken");
              assertThat(q.clientCertificate()).isTrue();
            });
  }

  @Test
  void eachSideOfAComparisonIsARangeQueryOverTheWindowWithItsSideFilledIn() {
    var metric =
        Serialization.unmarshal(
            """
            name: p50
            compare: {window: 2m, step: 5s}
            minSamples:
              query: sum(increase(requests{service="{{args.tenant}}-{{side}}"}[2m]))
              threshold: 10
            provider:
              prometheus:
                query: p50{service="{{args.tenant}}-{{side}}"}
            """,
            Metric.class);

    for (String side : List.of("canary", "baseline")) {
      recording()
          .measure(
              metric,
              false,
              Optional.of(side),
              args(Map.of()),
              (n, k) -> "unused",
              Optional.empty());
      recording()
          .measure(
              metric,
              true,
              Optional.of(side),
              args(Map.of()),
              (n, k) -> "unused",
              Optional.empty());
    }

    assertThat(asked)
        .extracting(PrometheusQuery::promql)
        .containsExactly(
            "p50{service=\"acme-canary\"}",
            "sum(increase(requests{service=\"acme-canary\"}[2m]))",
            "p50{service=\"acme-baseline\"}",
            "sum(increase(requests{service=\"acme-baseline\"}[2m]))");
    assertThat(asked.get(0).range())
        .contains(new PrometheusQuery.RangeWindow(Duration.ofMinutes(2), Duration.ofSeconds(5)));
    assertThat(asked.get(1).range()).as("the guard counts at the measurement").isEmpty();
  }
}
