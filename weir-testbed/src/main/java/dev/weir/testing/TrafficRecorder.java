package dev.weir.testing;

import dev.weir.api.WellKnownNames;
import io.fabric8.istio.api.networking.v1beta1.VirtualService;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Watches what the mesh would do with every change of the VirtualService and the Services: the
 * share of the traffic that reaches a given revision (route weight times "does this destination's
 * Service select that revision"). A release must only ever raise its revision's share.
 */
public final class TrafficRecorder implements AutoCloseable {

  private final String namespace;
  private final String virtualService;
  private final String revision;
  private final List<Integer> shares = new ArrayList<>();
  private final SharedIndexInformer<VirtualService> vsInformer;
  private final SharedIndexInformer<Service> serviceInformer;

  public TrafficRecorder(
      KubernetesClient client, String namespace, String virtualService, String revision) {
    this.namespace = namespace;
    this.virtualService = virtualService;
    this.revision = revision;
    vsInformer =
        client
            .resources(VirtualService.class)
            .inNamespace(namespace)
            .inform(new OnChange<>(vs -> sample()));
    serviceInformer =
        client.services().inNamespace(namespace).inform(new OnChange<>(s -> sample()));
    sample();
  }

  private synchronized void sample() {
    if (vsInformer == null || serviceInformer == null) {
      return;
    }
    var vs = vsInformer.getStore().getByKey(namespace + "/" + virtualService);
    if (vs == null) {
      return;
    }
    int share = 0;
    for (var route : vs.getSpec().getHttp()) {
      for (var destination : route.getRoute()) {
        String host = destination.getDestination().getHost();
        Service service = serviceInformer.getStore().getByKey(namespace + "/" + host);
        Map<String, String> selector = service == null ? null : service.getSpec().getSelector();
        if (selector != null
            && Objects.equals(selector.get(WellKnownNames.POD_TEMPLATE_HASH_LABEL), revision)) {
          share += destination.getWeight() == null ? 0 : destination.getWeight();
        }
      }
    }
    if (shares.isEmpty() || shares.get(shares.size() - 1) != share) {
      shares.add(share);
    }
  }

  /** Every distinct share the revision had, in order. */
  public synchronized List<Integer> shares() {
    sample();
    return List.copyOf(shares);
  }

  @Override
  public void close() {
    vsInformer.close();
    serviceInformer.close();
  }
}
