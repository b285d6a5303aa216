package dev.weir.testing.mesh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import dev.weir.api.WellKnownNames;
import dev.weir.testing.Manifests;
import io.fabric8.istio.api.networking.v1beta1.DestinationRule;
import io.fabric8.istio.api.networking.v1beta1.VirtualService;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetStatusBuilder;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The simulated mesh against the mock API server: it follows the weights Weir writes, down to the
 * request, and exports what Istio's sidecars would. Split tolerances come from counts: routing is
 * exact to one request per stream; errors are Bernoulli draws, judged within four sigmas.
 */
@EnableKubernetesMockClient(crud = true)
class TrafficSimulatorTest {

  static final String NS = "shop";
  static final String STABLE = "checkout-7d9fb6c8x4";
  static final String CANARY = "checkout-5b8c7d6f9z";
  static final double FAST = 2000;

  KubernetesClient client;
  TrafficSimulator simulator;

  @BeforeEach
  void givenTheMeshCrds() {
    Manifests.applyCrds(client);
  }

  @AfterEach
  void stopTheMesh() {
    if (simulator != null) {
      simulator.close();
    }
  }

  // --- routing -------------------------------------------------------------------------------

  @Test
  void theRequestsSplitAsTheWeightsSay() {
    givenCheckout(80, 20, Map.of(), Map.of());

    simulator = TrafficSimulator.start(client, NS, FAST);

    SentTraffic sent = awaitSent(2000);
    assertThat((double) sent.requestsTo(CANARY)).isCloseTo(0.2 * sent.total(), within(2.0));
    assertThat((double) sent.requestsTo(STABLE)).isCloseTo(0.8 * sent.total(), within(2.0));
  }

  @Test
  void aWeightChangeIsFollowed() {
    givenCheckout(80, 20, Map.of(), Map.of());
    simulator = TrafficSimulator.start(client, NS, FAST);
    awaitSent(500);

    setWeights("checkout", 50, 50);
    bounded().until(() -> simulator.routingTable().shareOf(CANARY) == 0.5);
    SentTraffic before = simulator.sent();
    SentTraffic after = awaitSent(before.total() + 2000);

    long canary = after.requestsTo(CANARY) - before.requestsTo(CANARY);
    long total = after.total() - before.total();
    assertThat((double) canary).isCloseTo(0.5 * total, within(3.0));
  }

  @Test
  void anHttpRoutesBackendRefsSplitByTheirWeightsAnUnweightedOneWeighingOne() {
    givenCheckout(100, 0, Map.of(), Map.of());
    client.resources(VirtualService.class).inNamespace(NS).withName("checkout").delete();
    apply(
        HTTPRoute.class,
        """
        apiVersion: gateway.networking.k8s.io/v1
        kind: HTTPRoute
        metadata: {name: checkout, namespace: shop}
        spec:
          parentRefs: [{name: shop-gateway}]
          rules:
            - name: primary
              backendRefs:
                - {name: checkout-stable, port: 80, weight: 70}
                - {name: checkout-canary, port: 80, weight: 30}
            - name: unweighted
              backendRefs:
                - {name: checkout-stable, port: 80}
                - {name: checkout-canary, port: 80}
            - name: elsewhere
              backendRefs:
                - {name: checkout-canary, namespace: payments, port: 80}
        """);

    simulator = TrafficSimulator.start(client, NS, FAST);

    // Two rules of the namespace's traffic each: 70/30 and 50/50; the other namespace's backend
    // gets nothing here.
    bounded().until(() -> Math.abs(simulator.routingTable().shareOf(CANARY) - 0.8) < 1e-9);
    assertThat(simulator.routingTable().shareOf(STABLE)).isCloseTo(1.2, within(1e-9));
  }

  // --- the routes Weir names -------------------------------------------------------------------

  /** checkout at 100/0, with Weir's routes ahead of (or, to show it matters, behind) primary. */
  void givenWeirsRoutes(String weirsRoutes, boolean ahead) {
    givenCheckout(100, 0, Map.of(), Map.of());
    String primary =
        """
            - name: primary
              route:
                - destination: {host: checkout-stable}
                  weight: 100
                - destination: {host: checkout-canary}
                  weight: 0
        """;
    apply(
        VirtualService.class,
        """
        apiVersion: networking.istio.io/v1beta1
        kind: VirtualService
        metadata: {name: checkout, namespace: shop}
        spec:
          hosts: [checkout.shop.svc.cluster.local]
          http:
        """
            + (ahead ? weirsRoutes + primary : primary + weirsRoutes));
  }

  static final String BETA =
      """
          - name: weir.beta
            match:
              - headers:
                  x-canary: {exact: "yes"}
            route:
              - destination: {host: checkout-canary}
      """;

  @Test
  void aHeaderRouteAheadSendsOnlyTheTaggedRequestsToTheCanary() {
    givenWeirsRoutes(BETA, true);
    simulator = TrafficSimulator.start(client, NS, FAST);
    simulator.sendShare(SimulatedRequest.withHeader("X-Canary", "yes"), 0.25);
    simulator.sendShare(SimulatedRequest.withHeader("x-canary", "no"), 0.25);

    SentTraffic sent = sentFromNow(2000);

    assertThat((double) sent.requestsTo(CANARY)).isCloseTo(0.25 * sent.total(), within(3.0));
    assertThat(sent.mirroredTo(CANARY)).isZero();
  }

  @Test
  void aHeaderRouteBehindTheUsersRouteTakesNothing() {
    givenWeirsRoutes(BETA, false);
    simulator = TrafficSimulator.start(client, NS, FAST);
    simulator.sendShare(SimulatedRequest.withHeader("x-canary", "yes"), 0.5);

    awaitSent(1000);

    assertThat(simulator.routingTable().shareOf(CANARY)).isZero();
  }

  @Test
  void aMirrorSendsCopiesAndTheUsersGetStablesAnswers() throws Exception {
    givenWeirsRoutes(
        """
            - name: weir.shadow
              match:
                - uri: {prefix: /api}
              route:
                - destination: {host: checkout-stable}
              mirror: {host: checkout-canary}
              mirrorPercentage: {value: 50.0}
        """,
        true);
    simulator = TrafficSimulator.start(client, NS, FAST);
    simulator.sendShare(SimulatedRequest.to("GET", "/api/cart"), 0.5);

    SentTraffic sent = sentFromNow(2000);

    assertThat(sent.requestsTo(CANARY)).as("answers users got from v2").isZero();
    assertThat((double) sent.mirroredTo(CANARY))
        .isCloseTo(0.25 * sent.requestsTo(STABLE), within(3.0));
    assertThat(scrape())
        .contains("destination_service=\"checkout-canary.shop.svc.cluster.local-shadow\"")
        .doesNotContain("destination_service=\"checkout-canary.shop.svc.cluster.local\"");
  }

  @Test
  void anHttpRoutesHeaderRuleOutranksTheUsersAndItsMirrorCopies() {
    givenCheckout(100, 0, Map.of(), Map.of());
    client.resources(VirtualService.class).inNamespace(NS).withName("checkout").delete();
    apply(
        HTTPRoute.class,
        """
        apiVersion: gateway.networking.k8s.io/v1
        kind: HTTPRoute
        metadata: {name: checkout, namespace: shop}
        spec:
          parentRefs: [{name: shop-gateway}]
          rules:
            - name: primary
              matches: [{path: {type: PathPrefix, value: /}}]
              backendRefs:
                - {name: checkout-stable, port: 80, weight: 100}
                - {name: checkout-canary, port: 80, weight: 0}
            - name: weir.beta
              matches:
                - headers: [{type: RegularExpression, name: x-user, value: "team-(a|b)"}]
              backendRefs: [{name: checkout-canary, port: 80}]
            - name: weir.shadow
              matches: [{method: POST}]
              filters:
                - type: RequestMirror
                  requestMirror: {backendRef: {name: checkout-canary, port: 80}, percent: 100}
              backendRefs: [{name: checkout-stable, port: 80}]
        """);
    simulator = TrafficSimulator.start(client, NS, FAST);
    simulator.sendShare(SimulatedRequest.withHeader("x-user", "team-b"), 0.2);
    simulator.sendShare(SimulatedRequest.withHeader("x-user", "team-c"), 0.2);
    simulator.sendShare(SimulatedRequest.to("POST", "/orders"), 0.3);

    SentTraffic sent = sentFromNow(2000);

    assertThat((double) sent.requestsTo(CANARY)).isCloseTo(0.2 * sent.total(), within(3.0));
    assertThat((double) sent.mirroredTo(CANARY)).isCloseTo(0.3 * sent.total(), within(3.0));
  }

  @Test
  void subsetsOfADestinationRuleSplitOneService() {
    service("payments", Map.of("app", "payments"));
    replicaSet("payments-aaaa", "payments", "aaaa", 3, Map.of());
    replicaSet("payments-bbbb", "payments", "bbbb", 1, Map.of());
    apply(
        DestinationRule.class,
        """
        apiVersion: networking.istio.io/v1beta1
        kind: DestinationRule
        metadata: {name: payments, namespace: shop}
        spec:
          host: payments.shop.svc.cluster.local
          subsets:
            - name: stable
              labels: {app: payments, weir.dev/pod-template-hash: aaaa}
            - name: canary
              labels: {app: payments, weir.dev/pod-template-hash: bbbb}
        """);
    apply(
        VirtualService.class,
        """
        apiVersion: networking.istio.io/v1beta1
        kind: VirtualService
        metadata: {name: payments, namespace: shop}
        spec:
          hosts: [payments]
          http:
            - name: primary
              route:
                - destination: {host: payments, subset: stable}
                  weight: 70
                - destination: {host: payments, subset: canary}
                  weight: 30
        """);

    simulator = TrafficSimulator.start(client, NS, FAST);

    SentTraffic sent = awaitSent(2000);
    assertThat((double) sent.requestsTo("payments-bbbb"))
        .isCloseTo(0.3 * sent.total(), within(2.0));
    assertThat((double) sent.requestsTo("payments-aaaa"))
        .isCloseTo(0.7 * sent.total(), within(2.0));
  }

  @Test
  void replicaSetsBehindOneServiceShareItByReadyReplicas() {
    givenCheckout(100, 0, Map.of(), Map.of());
    // A second revision behind the stable Service (as during a cut-over with a shared selector).
    service("checkout-stable", Map.of("app", "checkout"));
    replicaSet(CANARY, "checkout", hash(CANARY), 1, Map.of());
    replicaSet(STABLE, "checkout", hash(STABLE), 3, Map.of());

    simulator = TrafficSimulator.start(client, NS, FAST);

    SentTraffic sent = awaitSent(2000);
    assertThat((double) sent.requestsTo(CANARY)).isCloseTo(0.25 * sent.total(), within(2.0));
  }

  @Test
  void noReadyPodMeans503NoHealthyUpstream() throws Exception {
    givenCheckout(80, 20, Map.of(), Map.of());
    replicaSet(CANARY, "checkout", hash(CANARY), 0, Map.of());

    simulator = TrafficSimulator.start(client, NS, FAST);

    SentTraffic sent = awaitSent(2000);
    assertThat(sent.requestsTo(CANARY)).isZero();
    assertThat((double) sent.noHealthyUpstream("checkout-canary"))
        .isCloseTo(0.2 * sent.total(), within(2.0));
    assertThat(requestLines(scrape()))
        .anySatisfy(
            line ->
                assertThat(line)
                    .contains(
                        "reporter=\"source\"",
                        "destination_service_name=\"checkout-canary\"",
                        "destination_workload=\"unknown\"",
                        "response_code=\"503\"",
                        "response_flags=\"UH\""));
  }

  @Test
  void whatCannotBeResolvedGetsNoTrafficAndStopsNothing() {
    givenCheckout(80, 20, Map.of(), Map.of());
    apply(
        VirtualService.class,
        """
        apiVersion: networking.istio.io/v1beta1
        kind: VirtualService
        metadata: {name: broken, namespace: shop}
        spec:
          hosts: [broken]
          http:
            - route:
                - destination: {host: no-such-service}
                  weight: 50
                - destination: {host: checkout-stable, subset: no-such-subset}
                  weight: 50
            - route:
                - destination: {host: elsewhere.other-namespace.svc.cluster.local}
        """);

    simulator = TrafficSimulator.start(client, NS, FAST);

    SentTraffic sent = awaitSent(2000);
    assertThat(sent.requestsTo(STABLE) + sent.requestsTo(CANARY)).isEqualTo(sent.total());
    assertThat((double) sent.requestsTo(CANARY)).isCloseTo(0.2 * sent.total(), within(2.0));
  }

  // --- behaviour of the revisions -----------------------------------------------------------

  @Test
  void aTwentyPercentErrorRateShowsAsTwentyPercentOf5xx() {
    givenCheckout(50, 50, Map.of(), Map.of(TrafficSimulator.ERROR_RATE, "0.2"));

    simulator = TrafficSimulator.start(client, NS, FAST);

    bounded().until(() -> simulator.requestsTo(CANARY) >= 2000);
    SentTraffic sent = simulator.sent();
    long n = sent.requestsTo(CANARY);
    double sigma = Math.sqrt(0.2 * 0.8 / n);
    assertThat((double) sent.errorsTo(CANARY) / n).isCloseTo(0.2, within(4 * sigma));
    assertThat(sent.errorsTo(STABLE)).isZero();
  }

  // --- rate -----------------------------------------------------------------------------------

  @Test
  void rateZeroSendsNothingAndLowRatesSendWholeRequests() throws Exception {
    givenCheckout(80, 20, Map.of(), Map.of());
    simulator = TrafficSimulator.start(client, NS, 0);

    awaitTicks(5);
    assertThat(simulator.sent().total()).isZero();
    assertThat(requestLines(scrape())).isEmpty();

    // Half a request per tick: the carry makes whole requests out of it.
    simulator.setRequestsPerSecond(5);
    bounded().until(() -> simulator.sent().total() >= 3);

    simulator.setRequestsPerSecond(0);
    SentTraffic stopped = simulator.sent();
    awaitTicks(5);
    assertThat(simulator.sent().total()).isEqualTo(stopped.total());
  }

  // --- what Prometheus scrapes ------------------------------------------------------------------

  @Test
  void theScrapeCarriesIstiosMetricsAndLabels() throws Exception {
    givenCheckout(80, 20, Map.of("version", "v1"), Map.of(TrafficSimulator.LATENCY_MS, "300"));
    simulator = TrafficSimulator.start(client, NS, FAST);
    bounded().until(() -> simulator.requestsTo(CANARY) >= 500);

    List<String> lines = scrape().lines().toList();

    assertThat(requestLines(String.join("\n", lines)))
        .anySatisfy(
            line ->
                assertThat(line)
                    .contains(
                        "reporter=\"destination\"",
                        "source_workload=\"loadgen\"",
                        "source_workload_namespace=\"shop\"",
                        "source_app=\"loadgen\"",
                        "destination_workload=\"checkout\"",
                        "destination_workload_namespace=\"shop\"",
                        "destination_app=\"checkout\"",
                        "destination_version=\"v1\"",
                        "destination_service=\"checkout-stable.shop.svc.cluster.local\"",
                        "destination_service_name=\"checkout-stable\"",
                        "destination_service_namespace=\"shop\"",
                        "destination_canonical_service=\"checkout\"",
                        "destination_canonical_revision=\"v1\"",
                        "request_protocol=\"http\"",
                        "response_code=\"200\"",
                        "response_flags=\"-\"",
                        "connection_security_policy=\"mutual_tls\""))
        .anySatisfy(
            line ->
                assertThat(line)
                    .contains(
                        "destination_service_name=\"checkout-canary\"",
                        "destination_version=\"unknown\"",
                        "destination_canonical_revision=\"latest\""));

    // The canary's 300 ms median lies between its 250 and 500 ms buckets.
    Map<Double, Double> canaryBuckets = buckets(lines, "checkout-canary");
    assertThat(canaryBuckets).containsKeys(0.5, 3600000.0, Double.POSITIVE_INFINITY);
    double count = canaryBuckets.get(Double.POSITIVE_INFINITY);
    assertThat(canaryBuckets.get(250.0) / count).isLessThan(0.5);
    assertThat(canaryBuckets.get(500.0) / count).isGreaterThan(0.5);
  }

  // --- the cluster as Weir leaves it -----------------------------------------------------------

  /** Two revisions of checkout, each pinned by its Service's selector, behind one route. */
  void givenCheckout(
      int stableWeight,
      int canaryWeight,
      Map<String, String> stableLabels,
      Map<String, String> canaryAnnotations) {
    service(
        "checkout-stable",
        Map.of("app", "checkout", WellKnownNames.POD_TEMPLATE_HASH_LABEL, hash(STABLE)));
    service(
        "checkout-canary",
        Map.of("app", "checkout", WellKnownNames.POD_TEMPLATE_HASH_LABEL, hash(CANARY)));
    var stable = replicaSet(STABLE, "checkout", hash(STABLE), 3, Map.of());
    stable.getSpec().getTemplate().getMetadata().getLabels().putAll(stableLabels);
    client.resource(stable).update();
    replicaSet(CANARY, "checkout", hash(CANARY), 1, canaryAnnotations);
    apply(
        VirtualService.class,
        """
        apiVersion: networking.istio.io/v1beta1
        kind: VirtualService
        metadata: {name: checkout, namespace: shop}
        spec:
          hosts: [checkout.shop.svc.cluster.local]
          http:
            - name: primary
              route:
                - destination: {host: checkout-stable}
                  weight: %d
                - destination: {host: checkout-canary.shop.svc.cluster.local}
                  weight: %d
        """
            .formatted(stableWeight, canaryWeight));
  }

  static String hash(String replicaSet) {
    return replicaSet.substring(replicaSet.lastIndexOf('-') + 1);
  }

  void service(String name, Map<String, String> selector) {
    client
        .resource(
            new ServiceBuilder()
                .withNewMetadata()
                .withName(name)
                .withNamespace(NS)
                .endMetadata()
                .withNewSpec()
                .withSelector(selector)
                .addNewPort()
                .withName("http")
                .withPort(80)
                .endPort()
                .endSpec()
                .build())
        .createOr(existing -> existing.update());
  }

  /** A ReplicaSet as Weir builds it, with the status the kubelet would report. */
  ReplicaSet replicaSet(
      String name, String app, String hash, int ready, Map<String, String> annotations) {
    Map<String, String> labels =
        new HashMap<>(Map.of("app", app, WellKnownNames.POD_TEMPLATE_HASH_LABEL, hash));
    var rs =
        new ReplicaSetBuilder()
            .withNewMetadata()
            .withName(name)
            .withNamespace(NS)
            .withLabels(labels)
            .endMetadata()
            .withNewSpec()
            .withReplicas(ready)
            .withNewSelector()
            .withMatchLabels(labels)
            .endSelector()
            .withNewTemplate()
            .withNewMetadata()
            .withLabels(new HashMap<>(labels))
            .withAnnotations(annotations)
            .endMetadata()
            .withNewSpec()
            .addNewContainer()
            .withName("app")
            .withImage("registry.example/" + app)
            .endContainer()
            .endSpec()
            .endTemplate()
            .endSpec()
            .build();
    client.resource(rs).createOr(existing -> existing.update());
    return client
        .apps()
        .replicaSets()
        .inNamespace(NS)
        .withName(name)
        .editStatus(
            latest -> {
              latest.setStatus(
                  new ReplicaSetStatusBuilder()
                      .withReplicas(ready)
                      .withReadyReplicas(ready)
                      .withAvailableReplicas(ready)
                      .build());
              return latest;
            });
  }

  <T extends HasMetadata> void apply(Class<T> type, String yaml) {
    client.resource(Serialization.unmarshal(yaml, type)).createOr(existing -> existing.update());
  }

  void setWeights(String virtualService, int stable, int canary) {
    client
        .resources(VirtualService.class)
        .inNamespace(NS)
        .withName(virtualService)
        .edit(
            vs -> {
              var route = vs.getSpec().getHttp().get(0).getRoute();
              route.get(0).setWeight(stable);
              route.get(1).setWeight(canary);
              return vs;
            });
  }

  // --- waiting and scraping -------------------------------------------------------------------

  static ConditionFactory bounded() {
    return await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50));
  }

  SentTraffic awaitSent(long total) {
    bounded().until(() -> simulator.sent().total() >= total);
    return simulator.sent();
  }

  /** What is sent from now until {@code requests} more are, as counts of its own. */
  SentTraffic sentFromNow(long requests) {
    SentTraffic before = simulator.sent();
    SentTraffic after = awaitSent(before.total() + requests);
    return after.minus(before);
  }

  void awaitTicks(long more) {
    long from = simulator.ticks();
    bounded().until(() -> simulator.ticks() >= from + more);
  }

  String scrape() throws Exception {
    var request =
        HttpRequest.newBuilder(URI.create("http://" + simulator.scrapeTarget() + "/metrics"))
            .build();
    HttpResponse<String> response =
        HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).isEqualTo(200);
    return response.body();
  }

  static List<String> requestLines(String exposition) {
    return exposition.lines().filter(l -> l.startsWith("istio_requests_total{")).toList();
  }

  /** The cumulative bucket counts of a Service's 200s, by upper bound. */
  static Map<Double, Double> buckets(List<String> lines, String serviceName) {
    Map<Double, Double> buckets = new HashMap<>();
    for (String line : lines) {
      if (line.startsWith("istio_request_duration_milliseconds_bucket{")
          && line.contains("destination_service_name=\"" + serviceName + "\"")
          && line.contains("response_code=\"200\"")) {
        String le = line.replaceAll(".*le=\"([^\"]+)\".*", "$1");
        double bound = le.equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(le);
        double value = Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
        buckets.merge(bound, value, Double::sum);
      }
    }
    return buckets;
  }
}
