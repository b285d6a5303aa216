package dev.weir.demo;

import io.fabric8.istio.api.networking.v1beta1.VirtualService;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** When the canary host's weight changed, as the API server told a watch: for the rollback time. */
final class WeightLog implements AutoCloseable {

  private record Change(Instant at, int weight) {}

  private final List<Change> changes = new ArrayList<>();
  private final SharedIndexInformer<VirtualService> informer;
  private final String canaryHost;

  WeightLog(KubernetesClient client, String namespace, String virtualService, String canaryHost) {
    this.canaryHost = canaryHost;
    informer =
        client
            .resources(VirtualService.class)
            .inNamespace(namespace)
            .withName(virtualService)
            .inform(
                new ResourceEventHandler<>() {
                  @Override
                  public void onAdd(VirtualService vs) {
                    record(vs);
                  }

                  @Override
                  public void onUpdate(VirtualService before, VirtualService after) {
                    record(after);
                  }

                  @Override
                  public void onDelete(VirtualService vs, boolean unknown) {}
                });
  }

  private synchronized void record(VirtualService vs) {
    Instant now = Instant.now();
    for (var route : vs.getSpec().getHttp()) {
      for (var destination : route.getRoute()) {
        if (canaryHost.equals(destination.getDestination().getHost())) {
          int weight = destination.getWeight() == null ? 0 : destination.getWeight();
          if (changes.isEmpty() || changes.get(changes.size() - 1).weight() != weight) {
            changes.add(new Change(now, weight));
          }
        }
      }
    }
  }

  /** When the canary weight was first seen at {@code weight} at or after {@code since}. */
  synchronized Optional<Instant> firstAtOrAfter(Instant since, int weight) {
    return changes.stream()
        .filter(c -> !c.at().isBefore(since) && c.weight() == weight)
        .map(Change::at)
        .findFirst();
  }

  @Override
  public void close() {
    informer.close();
  }
}
