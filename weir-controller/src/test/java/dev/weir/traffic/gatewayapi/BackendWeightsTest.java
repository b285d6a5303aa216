package dev.weir.traffic.gatewayapi;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.api.v1alpha1.GatewayApiRoute;
import dev.weir.api.v1alpha1.SpecProblem;
import dev.weir.traffic.gatewayapi.BackendWeights.Backends;
import dev.weir.traffic.gatewayapi.BackendWeights.ManagedRule;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.GRPCRoute;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The weight plan written to an HTTPRoute's backendRefs: which rule and which two backendRefs a
 * reference names, the weight they hold, the patch that writes only those two weights, and the
 * problem (by field) when the route does not have them.
 */
class BackendWeightsTest {

  private static final String FIELD = "spec.strategy.canary.trafficRouting.gatewayAPI.httpRoute";
  private static final Backends CHECKOUT =
      new Backends("shop", "checkout-stable", "checkout-canary");

  /** examples/canary-gateway-api/httproute.yaml, changed as a case needs. */
  private static HTTPRoute route(Consumer<HTTPRoute> change) {
    try (InputStream in =
        Files.newInputStream(Path.of("examples/canary-gateway-api/httproute.yaml"))) {
      var route = Serialization.unmarshal(in, HTTPRoute.class);
      change.accept(route);
      return route;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static GatewayApiRoute reference(String rule, Integer ruleIndex) {
    var reference = new GatewayApiRoute();
    reference.name = "checkout";
    reference.rule = rule;
    reference.ruleIndex = ruleIndex;
    return reference;
  }

  private final List<SpecProblem> problems = new ArrayList<>();

  private Optional<ManagedRule> resolve(HTTPRoute route, GatewayApiRoute reference) {
    return BackendWeights.resolve(RouteRules.of(route), reference, FIELD, CHECKOUT, problems);
  }

  /** A second rule in front of the example's: stable and canary in the other order. */
  private static void secondRule(HTTPRoute route) {
    var first = route.getSpec().getRules().get(0);
    var other = Serialization.clone(first);
    other.setName("api");
    other.setBackendRefs(
        new ArrayList<>(List.of(first.getBackendRefs().get(1), first.getBackendRefs().get(0))));
    route.getSpec().getRules().add(0, other);
  }

  @Test
  void theExamplesRuleIsFoundByNameByIndexAndAsTheOnlyOne() {
    var route = route(r -> {});

    assertThat(resolve(route, reference("primary", null)))
        .contains(new ManagedRule(0, "primary", 0, 1));
    assertThat(resolve(route, reference(null, 0))).contains(new ManagedRule(0, "primary", 0, 1));
    assertThat(resolve(route, reference(null, null))).contains(new ManagedRule(0, "primary", 0, 1));
    assertThat(problems).isEmpty();
  }

  @Test
  void theBackendRefsAreFoundWhereverTheyStandInTheirRule() {
    var route = route(BackendWeightsTest::secondRule);

    assertThat(resolve(route, reference("api", null))).contains(new ManagedRule(0, "api", 1, 0));
    assertThat(resolve(route, reference(null, 1))).contains(new ManagedRule(1, "primary", 0, 1));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          a rule that is not there      | missing |      | .rule      | rule 'missing' not found in HTTPRoute shop/checkout
          an index past the last rule   |         | 1    | .ruleIndex | 1 is out of range: HTTPRoute shop/checkout has 1 rules
          """)
  void aRuleThatIsNotThereIsAProblemOfItsField(
      String what, String rule, Integer index, String field, String message) {
    assertThat(resolve(route(r -> {}), reference(rule, index))).isEmpty();

    assertThat(problems).extracting(SpecProblem::field).containsExactly(FIELD + field);
    assertThat(problems.get(0).message()).isEqualTo(message);
  }

  @Test
  void aRouteOfSeveralRulesNeedsTheRuleNamed() {
    assertThat(resolve(route(BackendWeightsTest::secondRule), reference(null, null))).isEmpty();

    assertThat(problems).extracting(SpecProblem::field).containsExactly(FIELD + ".rule");
    assertThat(problems.get(0).message()).contains("has 2 rules, name the one to use");
  }

  @Test
  void aRuleWithoutABackendRefToTheCanaryServiceIsAProblem() {
    var route =
        route(r -> r.getSpec().getRules().get(0).getBackendRefs().get(1).setName("checkout-v2"));

    assertThat(resolve(route, reference("primary", null))).isEmpty();

    assertThat(problems).extracting(SpecProblem::field).containsExactly(FIELD + ".rule");
    assertThat(problems.get(0).message())
        .isEqualTo(
            "rule 'primary' of HTTPRoute shop/checkout has no backendRef to Service"
                + " 'checkout-canary'");
  }

  @Test
  void aBackendRefOfAnotherKindOrNamespaceIsNotTheService() {
    var otherKind =
        route(r -> r.getSpec().getRules().get(0).getBackendRefs().get(0).setKind("ServiceImport"));
    var otherNamespace =
        route(r -> r.getSpec().getRules().get(0).getBackendRefs().get(0).setNamespace("payments"));

    assertThat(resolve(otherKind, reference(null, null))).isEmpty();
    assertThat(resolve(otherNamespace, reference(null, null))).isEmpty();
    assertThat(problems)
        .allSatisfy(p -> assertThat(p.message()).endsWith("to Service 'checkout-stable'"));
  }

  @ParameterizedTest(name = "stable {0}, canary {1} -> {2}")
  @CsvSource(
      nullValues = "-",
      textBlock =
          """
          100, 0,   0
          80,  20,  20
          0,   100, 100
          -,   -,   -
          1,   1,   -
          90,  20,  -
          -,   99,  99
          """)
  void theCanaryWeightIsReadOnlyWhenTheTwoSumTo100(Integer stable, Integer canary, Integer read) {
    var route =
        route(
            r -> {
              var refs = r.getSpec().getRules().get(0).getBackendRefs();
              refs.get(0).setWeight(stable);
              refs.get(1).setWeight(canary);
            });

    // A backendRef without a weight weighs 1, as the Gateway API says.
    assertThat(
            BackendWeights.canaryWeight(RouteRules.of(route), new ManagedRule(0, "primary", 0, 1)))
        .isEqualTo(read);
  }

  @Test
  void aGrpcRouteIsReadTheSameWayAndNamedByItsKind() {
    var route =
        Serialization.unmarshal(
            """
            apiVersion: gateway.networking.k8s.io/v1
            kind: GRPCRoute
            metadata: {name: checkout, namespace: shop}
            spec:
              rules:
                - matches: [{method: {service: shop.Checkout}}]
                  backendRefs:
                    - {name: checkout-canary, port: 9090, weight: 30}
                    - {name: checkout-stable, port: 9090, weight: 70}
            """,
            GRPCRoute.class);
    var rules = RouteRules.of(route);

    var rule = BackendWeights.resolve(rules, reference(null, null), FIELD, CHECKOUT, problems);

    assertThat(rule).contains(new ManagedRule(0, null, 1, 0));
    assertThat(BackendWeights.canaryWeight(rules, rule.get())).isEqualTo(30);
    BackendWeights.resolve(rules, reference("web", null), FIELD, CHECKOUT, problems);
    assertThat(problems)
        .extracting(SpecProblem::message)
        .containsExactly("rule 'web' not found in GRPCRoute shop/checkout");
  }

  @Test
  void thePatchTestsTheRuleAndBackendNamesAndWritesOnlyTheTwoWeights() {
    var rules = List.of(new ManagedRule(0, "api", 1, 0), new ManagedRule(1, null, 0, 1));

    var patch = BackendWeights.patch(rules, CHECKOUT, 30);

    assertThat(Serialization.asJson(patch))
        .isEqualTo(
            "["
                + "{\"op\":\"test\",\"path\":\"/spec/rules/0/name\",\"value\":\"api\"},"
                + "{\"op\":\"test\",\"path\":\"/spec/rules/0/backendRefs/1/name\",\"value\":\"checkout-stable\"},"
                + "{\"op\":\"test\",\"path\":\"/spec/rules/0/backendRefs/0/name\",\"value\":\"checkout-canary\"},"
                + "{\"op\":\"add\",\"path\":\"/spec/rules/0/backendRefs/1/weight\",\"value\":70},"
                + "{\"op\":\"add\",\"path\":\"/spec/rules/0/backendRefs/0/weight\",\"value\":30},"
                + "{\"op\":\"test\",\"path\":\"/spec/rules/1/backendRefs/0/name\",\"value\":\"checkout-stable\"},"
                + "{\"op\":\"test\",\"path\":\"/spec/rules/1/backendRefs/1/name\",\"value\":\"checkout-canary\"},"
                + "{\"op\":\"add\",\"path\":\"/spec/rules/1/backendRefs/0/weight\",\"value\":70},"
                + "{\"op\":\"add\",\"path\":\"/spec/rules/1/backendRefs/1/weight\",\"value\":30}"
                + "]");
  }

  @Test
  void theBlueGreenSwitchIsWeights0And100() {
    var patch =
        BackendWeights.patch(
            List.of(new ManagedRule(0, null, 0, 1)),
            new Backends("shop", "checkout-active", "checkout-preview"),
            100);

    assertThat(patch.get(2).get("value").asInt()).as("active").isZero();
    assertThat(patch.get(3).get("value").asInt()).as("preview").isEqualTo(100);
  }
}
