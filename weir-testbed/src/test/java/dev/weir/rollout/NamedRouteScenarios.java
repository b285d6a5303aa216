package dev.weir.rollout;

import static dev.weir.testing.RolloutAssert.assertThatRollout;
import static dev.weir.testing.RolloutAssert.awaitRollout;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import dev.weir.api.v1alpha1.GatewayApiRoute;
import dev.weir.api.v1alpha1.GatewayApiTrafficRouting;
import dev.weir.api.v1alpha1.Rollout;
import dev.weir.api.v1alpha1.RolloutPhase;
import dev.weir.api.v1alpha1.StringMatch;
import dev.weir.testing.Manifests;
import dev.weir.testing.Tier;
import dev.weir.testing.mesh.SentTraffic;
import dev.weir.testing.mesh.SimulatedRequest;
import io.fabric8.istio.api.networking.v1beta1.VirtualService;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The routes Weir names, as the release of examples/canary-header-routing shows them to its user,
 * through the VirtualService of examples/canary-istio and through the HTTPRoute of
 * examples/canary-gateway-api: with the header route only the requests carrying {@code x-canary:
 * yes} reach v2; with the mirror, v2 receives copies of the GET requests while users get only v1's
 * answers, and the real Prometheus sees the copies as a series apart; after the promotion and after
 * an abort no route Weir named is left, and the user's route is as applied, but for its weights; a
 * sync that takes Weir's route away gets it put back; a newer revision takes the header route over
 * and the superseded one gets no tagged request; a regex that does not compile is an InvalidSpec
 * that writes nothing.
 */
abstract class NamedRouteScenarios extends MeshStories {

  /** The two routers a story runs through. */
  enum Router {
    VIRTUAL_SERVICE,
    HTTP_ROUTE
  }

  private static final SimulatedRequest TAGGED = SimulatedRequest.withHeader("x-canary", "yes");

  private Router router;

  NamedRouteScenarios(Tier tier) {
    super(tier);
  }

  @Override
  Rollout firstRollout() {
    var rollout = Manifests.load("examples/canary-header-routing/rollout.yaml", Rollout.class);
    rollout.getMetadata().setNamespace(namespace);
    var canary = rollout.getSpec().strategy.canary;
    canary.scaleDownDelaySeconds = Manifests.COMPRESSED_DELAY_SECONDS;
    canary.abortScaleDownDelaySeconds = Manifests.COMPRESSED_DELAY_SECONDS;
    canary.steps.stream()
        .filter(s -> s.pause != null && s.pause.duration != null)
        .forEach(s -> s.pause.duration = new IntOrString("1s"));
    if (router == Router.HTTP_ROUTE) {
      var route = new GatewayApiRoute();
      route.name = "checkout";
      route.rule = "primary";
      canary.trafficRouting.istio = null;
      canary.trafficRouting.gatewayAPI = new GatewayApiTrafficRouting();
      canary.trafficRouting.gatewayAPI.httpRoute = route;
    }
    return rollout;
  }

  @Override
  List<String> exampleTraffic() {
    return List.of(
        "examples/canary-istio/services.yaml",
        router == Router.VIRTUAL_SERVICE
            ? "examples/canary-istio/virtualservice.yaml"
            : "examples/canary-gateway-api/httproute.yaml");
  }

  /** The VirtualService's http routes or the HTTPRoute's rules, as stored. */
  JsonNode routes() {
    HasMetadata route =
        router == Router.VIRTUAL_SERVICE
            ? client()
                .resources(VirtualService.class)
                .inNamespace(namespace)
                .withName("checkout")
                .get()
            : client().resources(HTTPRoute.class).inNamespace(namespace).withName("checkout").get();
    JsonNode spec = Serialization.jsonMapper().valueToTree(route).path("spec");
    return router == Router.VIRTUAL_SERVICE ? spec.path("http") : spec.path("rules");
  }

  List<String> routeNames() {
    var names = new ArrayList<String>();
    routes().forEach(r -> names.add(r.path("name").asText()));
    return names;
  }

  /** The user's routes as stored, less the weights Weir writes. */
  List<JsonNode> usersRoutesWithoutWeights() {
    var routes = new ArrayList<JsonNode>();
    for (JsonNode route : routes()) {
      if (route.path("name").asText().startsWith("weir.")) {
        continue;
      }
      var copy = route.deepCopy();
      copy.path(router == Router.VIRTUAL_SERVICE ? "route" : "backendRefs")
          .forEach(d -> ((com.fasterxml.jackson.databind.node.ObjectNode) d).remove("weight"));
      routes.add(copy);
    }
    return routes;
  }

  /** What the mesh sends from now until {@code requests} more requests were sent. */
  SentTraffic sentFromNow(long requests) {
    SentTraffic before = mesh.sent();
    Awaitility.await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> mesh.sent().total() >= before.total() + requests);
    return mesh.sent().minus(before);
  }

  @ParameterizedTest
  @EnumSource(Router.class)
  void aHeaderRouteSendsOnlyTheTaggedRequestsToV2AndIsGoneAfterThePromotion(Router router) {
    this.router = router;
    givenStableV1(BUSY);
    var applied = usersRoutesWithoutWeights();
    String v1 = checkout.status().stableRS;
    String v2 = whenV2IsReleased(Map.of());

    awaitRollout(checkout, "v2 paused behind its header route", r -> r.isPausedAtStep(2));
    assertThatRollout(checkout).withCanaryWeight(0).recorded("RouteSet");
    assertThat(routeNames())
        .as("Weir's route where it matches first")
        .containsExactly(
            router == Router.VIRTUAL_SERVICE
                ? new String[] {"weir.checkout.beta", "primary"}
                : new String[] {"primary", "weir.checkout.beta"});

    mesh.sendShare(TAGGED, 0.25);
    SentTraffic sent = sentFromNow(400);
    assertThat((double) sent.requestsTo("checkout-" + v2))
        .as("only the tagged quarter reaches v2: %s", sent)
        .isCloseTo(0.25 * sent.total(), within(6.0));
    assertThat((double) sent.requestsTo("checkout-" + v1))
        .isCloseTo(0.75 * sent.total(), within(6.0));

    checkout.promoteFull();
    awaitRollout(checkout, "v2 promoted and healthy", r -> r.isHealthyOn(v2));
    assertThat(routeNames())
        .as("no route Weir named is left")
        .noneMatch(n -> n.startsWith("weir."));
    assertThat(usersRoutesWithoutWeights()).isEqualTo(applied);
    assertThatRollout(checkout).recordedInOrder("RouteSet", "PromotedFull", "Promoted");
  }

  @ParameterizedTest
  @EnumSource(Router.class)
  void aMirrorCopiesRequestsToV2WhileUsersGetV1sAnswersAndIsGoneAfterAnAbort(Router router) {
    this.router = router;
    givenStableV1(BUSY);
    String v1 = checkout.status().stableRS;
    String v2 = whenV2IsReleased(Map.of());
    awaitRollout(checkout, "v2 paused behind its header route", r -> r.isPausedAtStep(2));

    checkout.promote();
    awaitRollout(checkout, "v2 paused with its mirror", r -> r.isPausedAtStep(4));
    mesh.sendShare(SimulatedRequest.to("POST", "/orders"), 0.5);
    SentTraffic sent = sentFromNow(400);
    assertThat(sent.requestsTo("checkout-" + v2))
        .as("answers users got from v2: %s", sent)
        .isZero();
    assertThat(sent.requestsTo("checkout-" + v1)).isEqualTo(sent.total());
    assertThat((double) sent.mirroredTo("checkout-" + v2))
        .as("half of the GET half copied to v2")
        .isCloseTo(0.25 * sent.total(), within(6.0));
    prometheus.awaitSeries(
        "sum(rate(istio_requests_total{destination_service=~\".*-shadow\","
            + "destination_service_namespace=\""
            + namespace
            + "\"}[10s])) > 0");

    checkout.abort();
    awaitRollout(checkout, "v2 aborted", r -> r.isAborted());
    checkout.awaitStatus(
        "traffic back on stable", s -> Integer.valueOf(0).equals(s.verifiedWeight));
    assertThat(routeNames())
        .as("no route Weir named is left")
        .noneMatch(n -> n.startsWith("weir."));
    assertThatRollout(checkout).isAbortedBackTo(v1).withCanaryWeight(0);
  }

  @ParameterizedTest
  @EnumSource(Router.class)
  void aSyncThatTakesTheHeaderRouteAwayGetsItPutBack(Router router) {
    this.router = router;
    givenStableV1(BUSY);
    whenV2IsReleased(Map.of());
    awaitRollout(checkout, "v2 paused behind its header route", r -> r.isPausedAtStep(2));

    // A GitOps sync applies the route object from git, as it was before Weir's route.
    Manifests.applyIn(client(), namespace, exampleTraffic().get(1));

    Awaitility.await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> routeNames().contains("weir.checkout.beta"));
    assertThatRollout(checkout).isPausedAtStep(2).withCanaryWeight(0);
  }

  @ParameterizedTest
  @EnumSource(Router.class)
  void aNewerRevisionTakesTheHeaderRouteAndTheOneItSupersedesGetsNoTaggedRequest(Router router) {
    this.router = router;
    givenStableV1(BUSY);
    String v2 = whenV2IsReleased(Map.of());
    awaitRollout(checkout, "v2 paused behind its header route", r -> r.isPausedAtStep(2));
    // Tagged users keep coming through the supersede: none of them may find no ready pod.
    mesh.sendShare(TAGGED, 0.25);
    long unansweredBefore = unanswered("checkout-stable", "checkout-canary");

    String v3 = checkout.hashOfRelease("registry.example/checkout:2.6.0", Map.of());
    checkout.release("registry.example/checkout:2.6.0", Map.of());
    checkout.awaitStatus(
        "v3 paused behind its header route",
        s -> v3.equals(s.currentPodHash) && Integer.valueOf(1).equals(s.currentStepIndex));
    awaitRollout(checkout, "v2 scaled down", r -> r.hasReplicas(v2, 0));
    assertThat(routeNames()).contains("weir.checkout.beta");
    assertThat(unanswered("checkout-stable", "checkout-canary") - unansweredBefore)
        .as("tagged or plain requests that found no ready pod (503 UH) through the supersede")
        .isZero();

    SentTraffic sent = sentFromNow(400);
    assertThat(sent.requestsTo("checkout-" + v2)).as("v2 superseded: %s", sent).isZero();
    assertThat((double) sent.requestsTo("checkout-" + v3))
        .isCloseTo(0.25 * sent.total(), within(6.0));
    assertThatRollout(checkout).recorded("Superseded");
  }

  @ParameterizedTest
  @EnumSource(Router.class)
  void aRegexThatDoesNotCompileIsAnInvalidSpecAndNothingIsWritten(Router router) {
    this.router = router;
    givenStableV1(BUSY);
    String v1 = checkout.status().stableRS;
    var before = routes();

    checkout.edit(
        r -> {
          r.getSpec().strategy.canary.steps.get(0).setHeaderRoute.match.get(0).headerValue =
              StringMatch.regex("team-(a|b");
          r.getSpec().template.getSpec().getContainers().get(0).setImage(V2);
          return r;
        });

    checkout.awaitStatus(
        "InvalidSpec reported",
        s -> s.phase == RolloutPhase.Degraded && checkout.condition("InvalidSpec"));
    assertThatRollout(checkout)
        .saying(
            "spec.strategy.canary.steps[0].setHeaderRoute.match[0].headerValue.regex",
            "'team-(a|b' does not compile")
        .hasStable(v1)
        .hasReplicas(v1, 5);
    assertThat(checkout.replicaSets()).as("no ReplicaSet for v2").hasSize(1);
    assertThat(routes()).as("the routes not written").isEqualTo(before);
  }
}
