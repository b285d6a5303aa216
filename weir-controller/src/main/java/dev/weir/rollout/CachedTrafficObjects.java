package dev.weir.rollout;

import dev.weir.api.v1alpha1.Rollout;
import dev.weir.traffic.TrafficObjects;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.util.Map;
import java.util.Optional;

/**
 * The routers' objects from the informers that already watch them to wake their rollouts: a
 * reconcile with nothing to do reads nothing from the API server. A write's response goes into the
 * informer's temporary cache (JOSDK keeps it until the watch brings that version or a newer one),
 * so the read-back right after a write, and the next reconcile, see the write and not the copy from
 * before it. A kind without an informer (its CRD was installed after the controller started) is
 * read from the API server, as before.
 */
final class CachedTrafficObjects implements TrafficObjects {

  private final Map<Class<?>, InformerEventSource<?, Rollout>> informers;
  private final TrafficObjects uncached;

  CachedTrafficObjects(
      Map<Class<?>, InformerEventSource<?, Rollout>> informers, KubernetesClient client) {
    this.informers = informers;
    this.uncached = TrafficObjects.direct(client);
  }

  @Override
  public <R extends HasMetadata> Optional<R> get(Class<R> kind, String namespace, String name) {
    InformerEventSource<R, Rollout> informer = informer(kind);
    if (informer == null) {
      return uncached.get(kind, namespace, name);
    }
    return informer.get(new ResourceID(name, namespace));
  }

  @Override
  public <R extends HasMetadata> void written(R before, R after) {
    InformerEventSource<R, Rollout> informer = informer(after.getClass());
    if (informer != null) {
      informer.handleRecentResourceUpdate(ResourceID.fromResource(after), after, before);
    }
  }

  @SuppressWarnings("unchecked")
  private <R extends HasMetadata> InformerEventSource<R, Rollout> informer(Class<?> kind) {
    return (InformerEventSource<R, Rollout>) informers.get(kind);
  }
}
