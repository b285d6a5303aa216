package dev.weir.demo;

import dev.weir.testing.OnChange;
import dev.weir.testing.RolloutScenario;
import io.fabric8.istio.api.networking.v1beta1.VirtualService;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * When the canary weight of a route changed, as the API server told a watch: for the rollback time.
 */
final class WeightLog implements AutoCloseable {

  private record Change(Instant at, int weight) {}

  private final List<Change> changes = new ArrayList<>();
  private final SharedIndexInformer<VirtualService> informer;
  private final String route;
  private final String canaryHost;

  WeightLog(
      KubernetesClient client,
      String namespace,
      String virtualService,
      String route,
      String canaryHost) {
    this.route = route;
    this.canaryHost = canaryHost;
    informer =
        client
            .resources(VirtualService.class)
            .inNamespace(namespace)
            .withName(virtualService)
            .inform(new OnChange<>(this::record));
  }

  private synchronized void record(VirtualService vs) {
    Instant now = Instant.now();
    int weight = RolloutScenario.canaryWeight(vs, route, canaryHost);
    if (changes.isEmpty() || changes.get(changes.size() - 1).weight() != weight) {
      changes.add(new Change(now, weight));
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
