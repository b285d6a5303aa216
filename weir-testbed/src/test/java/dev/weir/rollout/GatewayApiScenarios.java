package dev.weir.rollout;

import static dev.weir.testing.RolloutAssert.assertThatRollout;
import static dev.weir.testing.RolloutAssert.awaitRollout;
import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.api.v1alpha1.AnalysisPhase;
import dev.weir.api.v1alpha1.AnalysisRun;
import dev.weir.api.v1alpha1.GatewayApiRoute;
import dev.weir.api.v1alpha1.Rollout;
import dev.weir.api.v1alpha1.RolloutPhase;
import dev.weir.testing.Manifests;
import dev.weir.testing.Tier;
import dev.weir.testing.mesh.TrafficSimulator;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Releases over the Kubernetes Gateway API, judged by the real Prometheus: the canary of
 * examples/canary-gateway-api (with a GRPCRoute beside its HTTPRoute in one story) and the
 * blue-green of examples/blue-green-gateway-api, whose HTTPRoutes the simulated mesh follows as a
 * Gateway would. Weir writes the weights of the stable and canary (active and preview) backendRefs
 * of the route's rule, and nothing else of it.
 */
abstract class GatewayApiScenarios extends MeshStories {

  GatewayApiScenarios(Tier tier) {
    super(tier);
  }

  /** The example a story releases: the canary unless it says blue-green. */
  private boolean blueGreen;

  /** A GRPCRoute of the service's gRPC API, named by the canary beside its HTTPRoute. */
  private boolean withGrpcRoute;

  private static final String GRPC_ROUTE =
      "weir-testbed/src/test/resources/gateway-api/grpcroute.yaml";

  @Override
  Rollout firstRollout() {
    if (!blueGreen) {
      var rollout =
          Manifests.quickAnalysisCanary(
              "examples/canary-gateway-api/rollout.yaml", namespace, "5s");
      if (withGrpcRoute) {
        var grpc = new GatewayApiRoute();
        grpc.name = "checkout-grpc";
        grpc.rule = "orders";
        rollout.getSpec().strategy.canary.trafficRouting.gatewayAPI.grpcRoute = grpc;
      }
      return rollout;
    }
    return Manifests.quickBlueGreen("examples/blue-green-gateway-api/rollout.yaml", namespace);
  }

  @Override
  List<String> exampleTraffic() {
    return blueGreen
        ? List.of(
            "examples/blue-green/services.yaml", "examples/blue-green-gateway-api/httproute.yaml")
        : withGrpcRoute
            ? List.of(
                "examples/canary-istio/services.yaml",
                "examples/canary-gateway-api/httproute.yaml",
                GRPC_ROUTE)
            : List.of(
                "examples/canary-istio/services.yaml",
                "examples/canary-gateway-api/httproute.yaml");
  }

  HTTPRoute route() {
    return client().resources(HTTPRoute.class).inNamespace(namespace).withName("checkout").get();
  }

  /** The route as applied, less the two weights Weir writes. */
  HTTPRoute withoutWeights(HTTPRoute route) {
    var spec = Serialization.clone(route.getSpec());
    spec.getRules().forEach(rule -> rule.getBackendRefs().forEach(b -> b.setWeight(null)));
    var copy = new HTTPRoute();
    copy.setSpec(spec);
    return copy;
  }

  List<AnalysisRun> analysisRuns() {
    return client().resources(AnalysisRun.class).inNamespace(namespace).list().getItems();
  }

  @Test
  void aHealthyCanaryOverAnHttpRoutePassesItsAnalysisAndIsPromoted() {
    givenStableV1(BUSY);
    String v1 = checkout.status().stableRS;
    long unansweredBefore = unanswered("checkout-stable", "checkout-canary");
    var applied = withoutWeights(route());
    String v2 = whenV2IsReleased(Map.of());

    checkout.awaitStatus("v2 taking 20 %", s -> s.verifiedWeight != null && s.verifiedWeight == 20);
    assertThatRollout(checkout).withCanaryWeight(20);
    assertThat(checkout.backendWeight("checkout", "primary", null, "checkout-stable"))
        .isEqualTo(80);

    awaitRollout(checkout, "v2 promoted and healthy", r -> r.isHealthyOn(v2));
    assertThatRollout(checkout)
        .withCanaryWeight(0)
        .hasServiceSelecting("checkout-stable", v2)
        .recordedInOrder("AnalysisRunStarted", "AnalysisPassed", "AnalysisPassed", "Promoted");
    assertThat(checkout.backendWeight("checkout", "primary", null, "checkout-stable"))
        .isEqualTo(100);
    // Judged on the traffic the mesh sent to v2 by the route's weights: every answer a success.
    assertThat(analysisRuns())
        .isNotEmpty()
        .allSatisfy(r -> assertThat(r.getStatus().phase).isEqualTo(AnalysisPhase.Successful));
    assertThat(withoutWeights(route())).as("nothing but the weights written").isEqualTo(applied);
    awaitRollout(checkout, "v1 scaled down after scaleDownDelaySeconds", r -> r.hasReplicas(v1, 0));
    assertThat(unanswered("checkout-stable", "checkout-canary") - unansweredBefore)
        .as(
            "requests that found no ready pod (503 UH) at any step, the promotion or v1's scale-down")
        .isZero();
  }

  @Test
  void aFailingCanaryAbortsAndTheHttpRouteSendsEverythingBackToStable() {
    givenStableV1(BUSY);
    String v1 = checkout.status().stableRS;
    whenV2IsReleased(Map.of(TrafficSimulator.ERROR_RATE, "0.2"));

    awaitRollout(checkout, "v2 aborted by its analysis", r -> r.isAborted());
    assertThatRollout(checkout).isAbortedBackTo(v1).because("failed");
    checkout.awaitStatus("all traffic on stable", s -> s.verifiedWeight == 0);
    assertThatRollout(checkout).withCanaryWeight(0).recorded("Aborted");
    assertThat(checkout.backendWeight("checkout", "primary", null, "checkout-stable"))
        .isEqualTo(100);
  }

  @Test
  void aGrpcRouteNamedBesideTheHttpRouteMovesWithItAtEveryStep() {
    withGrpcRoute = true;
    givenStableV1(BUSY);
    String v2 = whenV2IsReleased(Map.of());

    for (int weight : new int[] {20, 50}) {
      checkout.awaitStatus(
          "v2 taking " + weight + " % on both routes",
          s -> s.verifiedWeight != null && s.verifiedWeight == weight);
      assertThat(
              checkout.backendWeight(
                  "GRPCRoute", "checkout-grpc", "orders", null, "checkout-canary"))
          .isEqualTo(weight);
      assertThat(checkout.backendWeight("checkout", "primary", null, "checkout-canary"))
          .isEqualTo(weight);
    }

    awaitRollout(checkout, "v2 promoted and healthy", r -> r.isHealthyOn(v2));
    assertThat(
            checkout.backendWeight("GRPCRoute", "checkout-grpc", "orders", null, "checkout-stable"))
        .isEqualTo(100);
    assertThatRollout(checkout).withCanaryWeight(0);
  }

  @Test
  void aBlueGreenReleaseSwitchesTheHttpRouteAndPromotes() {
    blueGreen = true;
    givenStableV1(BUSY);
    String v1 = checkout.status().stableRS;
    smokeTestsTo(BlueGreenScenarios.PREVIEW, 20);
    long unansweredBefore = unanswered(BlueGreenScenarios.ACTIVE, BlueGreenScenarios.PREVIEW);
    String v2 = whenV2IsReleased(Map.of());

    checkout.awaitStatus(
        "switched to v2", s -> s.verifiedWeight != null && s.verifiedWeight == 100);
    assertThat(checkout.backendWeight("checkout", null, null, BlueGreenScenarios.ACTIVE))
        .as("the active backendRef at the switch")
        .isZero();

    awaitRollout(checkout, "v2 promoted and healthy", r -> r.isHealthyOn(v2));
    assertThatRollout(checkout)
        .hasServiceSelecting(BlueGreenScenarios.ACTIVE, v2)
        .as("the active Service carries the traffic again")
        .withCanaryWeight(0)
        .recordedInOrder(
            "PreviewReady", "AnalysisPassed", "Switched", "AnalysisPassed", "Promoted");
    assertThat(checkout.backendWeight("checkout", null, null, BlueGreenScenarios.ACTIVE))
        .isEqualTo(100);
    awaitRollout(checkout, "v1 scaled down after scaleDownDelaySeconds", r -> r.hasReplicas(v1, 0));
    assertThat(unanswered(BlueGreenScenarios.ACTIVE, BlueGreenScenarios.PREVIEW) - unansweredBefore)
        .as(
            "requests that found no ready pod (503 UH) at the switch, the promotion or v1's scale-down")
        .isZero();
  }

  @Test
  void aRuleThatIsNotThereIsAnInvalidSpecAndNothingIsWritten() {
    givenStableV1(BUSY);
    String v1 = checkout.status().stableRS;
    var before = route();

    checkout.edit(
        r -> {
          r.getSpec().strategy.canary.trafficRouting.gatewayAPI.httpRoute.rule = null;
          r.getSpec().strategy.canary.trafficRouting.gatewayAPI.httpRoute.ruleIndex = 3;
          r.getSpec().template.getSpec().getContainers().get(0).setImage(V2);
          return r;
        });

    checkout.awaitStatus(
        "InvalidSpec reported",
        s -> s.phase == RolloutPhase.Degraded && checkout.condition("InvalidSpec"));
    assertThatRollout(checkout)
        .saying(
            "spec.strategy.canary.trafficRouting.gatewayAPI.httpRoute.ruleIndex",
            "3 is out of range: HTTPRoute " + namespace + "/checkout has 1 rules")
        .hasStable(v1)
        .hasReplicas(v1, 5);
    awaitRollout(checkout, "the InvalidSpec Event told", r -> r.recorded("InvalidSpec"));
    assertThat(checkout.replicaSets()).as("no ReplicaSet for v2").hasSize(1);
    assertThat(route().getMetadata().getResourceVersion())
        .as("the route not written")
        .isEqualTo(before.getMetadata().getResourceVersion());

    checkout.edit(
        r -> {
          r.getSpec().strategy.canary.trafficRouting.gatewayAPI.httpRoute.ruleIndex = 0;
          return r;
        });

    checkout.awaitStatus(
        "valid again, v2 at 20 %",
        s ->
            !checkout.condition("InvalidSpec")
                && s.verifiedWeight != null
                && s.verifiedWeight == 20);
    assertThatRollout(checkout).withCanaryWeight(20);
  }
}
