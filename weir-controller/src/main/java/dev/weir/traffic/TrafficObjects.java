package dev.weir.traffic;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.Optional;

/**
 * Where the routers read the objects they route by (Services, VirtualServices, DestinationRules,
 * HTTPRoutes, GRPCRoutes), and whom they tell what their writes returned. The controller reads them
 * from its informers' caches, so that a reconcile with nothing to do asks the API server nothing; a
 * write's response is the freshest copy there is, and is read back in its place until the watch
 * brings it (or something newer), so that a stale cache never makes a router write a weight twice.
 */
public interface TrafficObjects {

  /** The object of this kind, namespace and name, if there is one. */
  <R extends HasMetadata> Optional<R> get(Class<R> kind, String namespace, String name);

  /**
   * What a write of {@code before} returned.
   *
   * @param before the object as read before the write
   * @param after the write's response
   */
  default <R extends HasMetadata> void written(R before, R after) {}

  /** Every object read from the API server, as the tests of one router do. */
  static TrafficObjects direct(KubernetesClient client) {
    return new TrafficObjects() {
      @Override
      public <R extends HasMetadata> Optional<R> get(Class<R> kind, String namespace, String name) {
        return Optional.ofNullable(
            client.resources(kind).inNamespace(namespace).withName(name).get());
      }
    };
  }
}
