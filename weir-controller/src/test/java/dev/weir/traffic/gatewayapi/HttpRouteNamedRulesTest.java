package dev.weir.traffic.gatewayapi;

import static dev.weir.traffic.NamedRouteExamples.BETA;
import static dev.weir.traffic.NamedRouteExamples.SHADOW;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.weir.api.v1alpha1.Rollout;
import dev.weir.traffic.NamedRoute.ValueMatch;
import dev.weir.traffic.TrafficObjects;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The routes Weir names as rules of the HTTPRoute of examples/canary-gateway-api, written and read
 * back through the mock API server: after the user's rules, a header route to the canary's
 * backendRef (a prefix as a regex that reads back as the prefix), a mirror route to stable with a
 * RequestMirror filter and its percent; the user's rule kept as it was and still weighed; removed
 * without a trace.
 */
@EnableKubernetesMockClient(crud = true)
class HttpRouteNamedRulesTest {

  KubernetesClient client;
  Rollout rollout;
  GatewayApiRouter router;

  @BeforeEach
  void applyTheExample() throws IOException {
    rollout =
        Serialization.unmarshal(
            Files.readString(Path.of("examples/canary-gateway-api/rollout.yaml")), Rollout.class);
    client
        .resource(
            Serialization.unmarshal(
                Files.readString(Path.of("examples/canary-gateway-api/httproute.yaml")),
                HTTPRoute.class))
        .create();
    router = new GatewayApiRouter(client, TrafficObjects.direct(client));
  }

  private JsonNode rules() {
    var route = client.resources(HTTPRoute.class).inNamespace("shop").withName("checkout").get();
    return Serialization.jsonMapper().valueToTree(route).path("spec").path("rules");
  }

  @Test
  void namedRulesFollowTheUsersAndReadBackAsWritten() {
    router.setNamedRoutes(rollout, List.of(BETA, SHADOW));

    assertThat(router.observe(rollout).namedRoutes()).containsExactly(BETA, SHADOW);
    var rules = rules();
    assertThat(rules).hasSize(3);
    assertThat(rules.get(0).path("name").asText()).isEqualTo("primary");
    var beta = rules.get(1);
    assertThat(beta.path("name").asText()).isEqualTo("weir.checkout.beta");
    assertThat(beta.path("backendRefs")).hasSize(1);
    assertThat(beta.path("backendRefs").get(0).path("name").asText()).isEqualTo("checkout-canary");
    assertThat(beta.path("backendRefs").get(0).path("port").asInt()).isEqualTo(80);
    assertThat(beta.path("backendRefs").get(0).has("weight")).isFalse();
    var tenant = beta.path("matches").get(0).path("headers").get(1);
    assertThat(tenant.path("type").asText()).isEqualTo("RegularExpression");
    assertThat(Pattern.matches(tenant.path("value").asText(), "internal-ops")).isTrue();
    assertThat(Pattern.matches(tenant.path("value").asText(), "external-internal-")).isFalse();
    var shadow = rules.get(2);
    assertThat(shadow.path("backendRefs").get(0).path("name").asText())
        .isEqualTo("checkout-stable");
    var mirror = shadow.path("filters").get(0);
    assertThat(mirror.path("type").asText()).isEqualTo("RequestMirror");
    assertThat(mirror.path("requestMirror").path("percent").asInt()).isEqualTo(25);
    assertThat(mirror.path("requestMirror").path("backendRef").path("name").asText())
        .isEqualTo("checkout-canary");
    assertThat(shadow.path("matches").get(0).path("method").asText()).isEqualTo("GET");
    assertThat(shadow.path("matches").get(0).path("path").path("type").asText())
        .isEqualTo("PathPrefix");
  }

  @Test
  void theUsersRuleIsStillWeighedBesideWeirsRules() {
    router.setNamedRoutes(rollout, List.of(BETA));

    router.setWeight(rollout, 30);

    assertThat(router.observe(rollout).canaryWeight()).isEqualTo(30);
    assertThat(router.observe(rollout).problems()).isEmpty();
  }

  @Test
  void theOnlyUserRuleIsFoundBesideWeirs() {
    rollout.getSpec().strategy.canary.trafficRouting.gatewayAPI.httpRoute.rule = null;
    router.setNamedRoutes(rollout, List.of(BETA, SHADOW));

    router.setWeight(rollout, 10);

    assertThat(router.observe(rollout).canaryWeight()).isEqualTo(10);
    assertThat(router.observe(rollout).problems()).isEmpty();
  }

  @Test
  void replacingAndRemovingTouchOnlyWeirsRules() {
    var user = rules().get(0);
    router.setNamedRoutes(rollout, List.of(BETA, SHADOW));

    router.setNamedRoutes(rollout, List.of(SHADOW));
    assertThat(router.observe(rollout).namedRoutes()).containsExactly(SHADOW);

    router.setNamedRoutes(rollout, List.of());
    assertThat(router.observe(rollout).namedRoutes()).isEmpty();
    assertThat(rules()).hasSize(1);
    assertThat(rules().get(0)).isEqualTo(user);
  }

  @Test
  void aPrefixReadsBackAsThePrefixAndARegexAsTheRegex() {
    var regexes =
        List.of(
            HttpRouteNamedRules.quotedPrefix("a.b"), "\\Qa\\E", "team-(a|b)", "\\Qa\\E.*\\Qb\\E.*");

    assertThat(regexes)
        .extracting(
            r -> HttpRouteNamedRules.read(headerRule(r), "checkout").get(0).matches().get(0))
        .extracting(m -> m.headers().get("x"))
        .containsExactly(
            new ValueMatch(ValueMatch.Kind.PREFIX, "a.b"),
            new ValueMatch(ValueMatch.Kind.REGEX, "\\Qa\\E"),
            new ValueMatch(ValueMatch.Kind.REGEX, "team-(a|b)"),
            new ValueMatch(ValueMatch.Kind.REGEX, "\\Qa\\E.*\\Qb\\E.*"));
  }

  private static JsonNode headerRule(String regex) {
    var rules = Serialization.jsonMapper().createArrayNode();
    rules
        .addObject()
        .put("name", "weir.checkout.x")
        .putArray("matches")
        .addObject()
        .putArray("headers")
        .addObject()
        .put("name", "x")
        .put("type", "RegularExpression")
        .put("value", regex);
    return rules;
  }
}
