package dev.weir.traffic.istio;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.api.v1alpha1.IstioVirtualService;
import dev.weir.api.v1alpha1.Rollout;
import dev.weir.testing.Manifests;
import io.fabric8.istio.api.networking.v1beta1.VirtualService;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The VirtualService router against an API server: what it writes, reads back and rejects. */
@EnableKubernetesMockClient(crud = true)
class VirtualServiceRouterTest {

  KubernetesClient client;
  VirtualServiceRouter router;

  static final String MESH =
      """
      apiVersion: networking.istio.io/v1beta1
      kind: VirtualService
      metadata: {name: checkout, namespace: shop}
      spec:
        hosts: [checkout]
        http:
          - name: mirror-to-staging
            route:
              - destination: {host: checkout-stable}
                weight: 100
          - name: primary
            timeout: 3s
            route:
              - destination: {host: checkout-stable.shop.svc.cluster.local}
                weight: 100
              - destination: {host: checkout-canary.shop.svc.cluster.local}
                weight: 0
      """;

  static final String GATEWAY =
      """
      apiVersion: networking.istio.io/v1beta1
      kind: VirtualService
      metadata: {name: checkout-gateway, namespace: shop}
      spec:
        hosts: [checkout.example.com]
        gateways: [public]
        http:
          - name: edge
            route:
              - destination: {host: checkout-canary}
                weight: 0
              - destination: {host: checkout-stable}
                weight: 100
      """;

  @BeforeEach
  void givenTwoVirtualServices() {
    Manifests.applyCrds(client);
    client.resource(Serialization.unmarshal(MESH, VirtualService.class)).create();
    client.resource(Serialization.unmarshal(GATEWAY, VirtualService.class)).create();
    router = new VirtualServiceRouter(client);
  }

  Rollout rollout(List<IstioVirtualService> virtualServices) {
    var rollout = Manifests.load("examples/canary-istio/rollout.yaml", Rollout.class);
    var istio = rollout.getSpec().strategy.canary.trafficRouting.istio;
    istio.virtualService = null;
    istio.virtualServices = virtualServices;
    return rollout;
  }

  static IstioVirtualService vs(String name, String... routes) {
    var vs = new IstioVirtualService();
    vs.name = name;
    vs.routes = List.of(routes);
    return vs;
  }

  VirtualService read(String name) {
    return client.resources(VirtualService.class).inNamespace("shop").withName(name).get();
  }

  @Test
  void writesTheNamedRoutesOfEveryVirtualServiceAndReadsThemBack() {
    var rollout = rollout(List.of(vs("checkout", "primary"), vs("checkout-gateway", "edge")));
    assertThat(router.observe(rollout).canaryWeight()).isZero();

    router.setWeight(rollout, 30);

    var mesh = read("checkout").getSpec().getHttp();
    assertThat(mesh.get(1).getRoute()).extracting(d -> d.getWeight()).containsExactly(70, 30);
    assertThat(mesh.get(1).getTimeout()).as("the rest of the route is untouched").isEqualTo("3s");
    assertThat(mesh.get(0).getRoute().get(0).getWeight())
        .as("an unnamed route keeps its weight")
        .isEqualTo(100);
    var edge = read("checkout-gateway").getSpec().getHttp().get(0);
    assertThat(edge.getRoute()).extracting(d -> d.getWeight()).containsExactly(30, 70);
    assertThat(router.observe(rollout).canaryWeight()).isEqualTo(30);
    assertThat(router.observe(rollout).problems()).isEmpty();
  }

  @Test
  void aWeightIsVerifiedOnlyWhenEveryRouteAgrees() {
    var rollout = rollout(List.of(vs("checkout", "primary"), vs("checkout-gateway", "edge")));
    router.setWeight(rollout, 30);
    client
        .resources(VirtualService.class)
        .inNamespace("shop")
        .withName("checkout-gateway")
        .edit(
            vs -> {
              vs.getSpec().getHttp().get(0).getRoute().get(0).setWeight(0);
              vs.getSpec().getHttp().get(0).getRoute().get(1).setWeight(100);
              return vs;
            });
    assertThat(router.observe(rollout).canaryWeight()).isNull();
  }

  @Test
  void aMissingRouteOrVirtualServiceIsAProblemNamingTheField() {
    var rollout =
        rollout(
            List.of(vs("checkout", "primary"), vs("checkout-gateway", "missing"), vs("gone", "x")));
    var problems = router.observe(rollout).problems();
    assertThat(problems)
        .extracting(p -> p.field())
        .containsExactly(
            "spec.strategy.canary.trafficRouting.istio.virtualServices[1].routes[0]",
            "spec.strategy.canary.trafficRouting.istio.virtualServices[2].name");
    assertThat(problems.get(0).message()).contains("'missing'").contains("shop/checkout-gateway");
  }

  @Test
  void routesMayBeOmittedOnlyWhenThereIsOne() {
    var several = rollout(List.of(vs("checkout")));
    assertThat(router.observe(several).problems())
        .extracting(p -> p.field())
        .containsExactly("spec.strategy.canary.trafficRouting.istio.virtualServices[0].routes");
    var one = rollout(List.of(vs("checkout-gateway")));
    router.setWeight(one, 10);
    assertThat(router.observe(one).canaryWeight()).isEqualTo(10);
  }
}
