package dev.weir.traffic.istio;

import static dev.weir.traffic.NamedRouteExamples.BETA;
import static dev.weir.traffic.NamedRouteExamples.SHADOW;
import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.api.v1alpha1.Rollout;
import dev.weir.traffic.NamedRoute;
import io.fabric8.istio.api.networking.v1beta1.VirtualService;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The routes Weir names in the VirtualService of examples/canary-istio, written and read back
 * through the mock API server: first in spec.http, header routes to the canary host, mirror routes
 * to the stable host with a mirror to the canary's; the user's route kept as it was, after them,
 * and still weighed; removed without a trace.
 */
@EnableKubernetesMockClient(crud = true)
class VirtualServiceNamedRoutesTest {

  KubernetesClient client;
  Rollout rollout;
  VirtualServiceRouter router;

  @BeforeEach
  void applyTheExample() throws IOException {
    rollout =
        Serialization.unmarshal(
            Files.readString(Path.of("examples/canary-istio/rollout.yaml")), Rollout.class);
    client
        .resource(
            Serialization.unmarshal(
                Files.readString(Path.of("examples/canary-istio/virtualservice.yaml")),
                VirtualService.class))
        .create();
    router = new VirtualServiceRouter(client);
  }

  private VirtualService vs() {
    return client.resources(VirtualService.class).inNamespace("shop").withName("checkout").get();
  }

  @Test
  void namedRoutesGoFirstAndReadBackAsWritten() {
    router.setNamedRoutes(rollout, List.of(BETA, SHADOW));

    assertThat(router.observe(rollout).namedRoutes()).containsExactly(BETA, SHADOW);
    var http = Serialization.jsonMapper().valueToTree(vs()).path("spec").path("http");
    assertThat(http).hasSize(3);
    assertThat(http.get(0).path("name").asText()).isEqualTo("weir.checkout.beta");
    assertThat(
            http.get(0).path("match").get(0).path("headers").path("x-user").path("regex").asText())
        .isEqualTo("team-(a|b)");
    assertThat(http.get(0).path("route").get(0).path("destination").path("host").asText())
        .isEqualTo("checkout-canary");
    assertThat(http.get(1).path("name").asText()).isEqualTo("weir.checkout.shadow");
    assertThat(http.get(1).path("route").get(0).path("destination").path("host").asText())
        .isEqualTo("checkout-stable");
    assertThat(http.get(1).path("mirror").path("host").asText()).isEqualTo("checkout-canary");
    assertThat(http.get(1).path("mirrorPercentage").path("value").asDouble()).isEqualTo(25.0);
    assertThat(http.get(1).path("match").get(0).path("uri").path("prefix").asText())
        .isEqualTo("/api");
    assertThat(http.get(2).path("name").asText()).isEqualTo("primary");
  }

  @Test
  void theUsersRouteIsStillWeighedBehindWeirsRoutes() {
    router.setNamedRoutes(rollout, List.of(BETA));

    router.setWeight(rollout, 30);

    assertThat(router.observe(rollout).canaryWeight()).isEqualTo(30);
    assertThat(router.observe(rollout).problems()).isEmpty();
    assertThat(vs().getSpec().getHttp().get(0).getName()).isEqualTo("weir.checkout.beta");
  }

  @Test
  void theRouteOfAVirtualServiceWithOneUserRouteIsFoundBesideWeirs() {
    rollout.getSpec().strategy.canary.trafficRouting.istio.virtualService.routes = null;
    router.setNamedRoutes(rollout, List.of(BETA, SHADOW));

    router.setWeight(rollout, 10);

    assertThat(router.observe(rollout).canaryWeight()).isEqualTo(10);
    assertThat(router.observe(rollout).problems()).isEmpty();
  }

  @Test
  void replacingAndRemovingTouchOnlyWeirsRoutes() {
    router.setNamedRoutes(rollout, List.of(BETA, SHADOW));
    var user = Serialization.jsonMapper().valueToTree(vs()).path("spec").path("http").get(2);

    router.setNamedRoutes(rollout, List.of(SHADOW));
    assertThat(router.observe(rollout).namedRoutes()).containsExactly(SHADOW);

    router.setNamedRoutes(rollout, List.of());
    assertThat(router.observe(rollout).namedRoutes()).isEmpty();
    var http = Serialization.jsonMapper().valueToTree(vs()).path("spec").path("http");
    assertThat(http).hasSize(1);
    assertThat(http.get(0)).isEqualTo(user);
  }

  @Test
  void anotherRolloutsRoutesInTheSameVirtualServiceAreLeftAlone() {
    var payments = Serialization.clone(rollout);
    payments.getMetadata().setName("payments");
    router.setNamedRoutes(payments, List.of(BETA));

    router.setNamedRoutes(rollout, List.of(SHADOW));
    router.setNamedRoutes(rollout, List.of());

    assertThat(router.observe(payments).namedRoutes()).containsExactly(BETA);
    assertThat(router.observe(rollout).namedRoutes()).isEmpty();
    assertThat(vs().getSpec().getHttp().get(0).getName()).isEqualTo("weir.payments.beta");
  }

  @Test
  void aMirrorOfEveryRequestHasNoMatch() {
    var all = new NamedRoute("all", List.of(), 100);

    router.setNamedRoutes(rollout, List.of(all));

    assertThat(router.observe(rollout).namedRoutes()).containsExactly(all);
    assertThat(vs().getSpec().getHttp().get(0).getMatch()).isNullOrEmpty();
  }
}
