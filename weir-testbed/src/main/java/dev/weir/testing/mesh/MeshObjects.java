package dev.weir.testing.mesh;

import io.fabric8.istio.api.networking.v1beta1.DestinationRule;
import io.fabric8.istio.api.networking.v1beta1.VirtualService;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What the mesh's control plane watches in one namespace — VirtualServices, HTTPRoutes,
 * DestinationRules, Services, ReplicaSets (standing in for their pods) — kept current by informers,
 * so a tick reads memory, not the API server.
 */
final class MeshObjects implements AutoCloseable {

  private final String namespace;
  private final List<SharedIndexInformer<?>> opened = new ArrayList<>();
  private final SharedIndexInformer<VirtualService> virtualServices;
  private final SharedIndexInformer<HTTPRoute> httpRoutes;
  private final SharedIndexInformer<DestinationRule> destinationRules;
  private final SharedIndexInformer<Service> services;
  private final SharedIndexInformer<ReplicaSet> replicaSets;

  /** Starts the informers and waits for their first listing. */
  MeshObjects(KubernetesClient client, String namespace) {
    this.namespace = namespace;
    try {
      virtualServices =
          open(client.resources(VirtualService.class).inNamespace(namespace).inform());
      httpRoutes = open(client.resources(HTTPRoute.class).inNamespace(namespace).inform());
      destinationRules =
          open(client.resources(DestinationRule.class).inNamespace(namespace).inform());
      services = open(client.services().inNamespace(namespace).inform());
      replicaSets = open(client.apps().replicaSets().inNamespace(namespace).inform());
    } catch (RuntimeException e) {
      close();
      throw e;
    }
  }

  private <T extends HasMetadata> SharedIndexInformer<T> open(SharedIndexInformer<T> informer) {
    opened.add(informer);
    return informer;
  }

  RoutingTable routingTable(Map<SimulatedRequest, Double> mix) {
    return RoutingTable.resolve(
        namespace,
        mix,
        virtualServices.getStore().list(),
        httpRoutes.getStore().list(),
        destinationRules.getStore().list(),
        services.getStore().list(),
        replicaSets.getStore().list());
  }

  /** Requests sent straight to a Service, as smoke tests would: all of them to its pods. */
  List<Flow> direct(String service) {
    return RoutingTable.destinationFlows(
        "direct/" + service,
        1.0,
        service,
        null,
        namespace,
        destinationRules.getStore().list(),
        services.getStore().list().stream()
            .collect(java.util.stream.Collectors.toMap(s -> s.getMetadata().getName(), s -> s)),
        replicaSets.getStore().list());
  }

  @Override
  public void close() {
    opened.forEach(SharedIndexInformer::close);
  }
}
