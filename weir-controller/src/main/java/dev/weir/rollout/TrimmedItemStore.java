package dev.weir.rollout;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.informers.cache.BasicItemStore;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import io.fabric8.kubernetes.client.informers.cache.ItemStore;
import java.util.LinkedHashMap;
import java.util.stream.Stream;

/**
 * An informer's store that keeps each object without what Weir never reads: its managed fields and
 * kubectl's last-applied annotation, together often larger than the rest of a Service or a
 * VirtualService. JOSDK offers no informer transform; its item store is where objects enter the
 * cache. One store serves one informer: JOSDK shares it among the informers of a configuration,
 * which are several only when the controller watches a list of namespaces, and then a relist of one
 * namespace would drop the others' objects; {@link RolloutEventSources} uses it only when all
 * namespaces are watched.
 */
final class TrimmedItemStore<R extends HasMetadata> implements ItemStore<R> {

  static final String LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration";

  private final BasicItemStore<R> store = new BasicItemStore<>(Cache::metaNamespaceKeyFunc);

  /** The object without its managed fields and last-applied annotation, changed in place. */
  static <R extends HasMetadata> R trim(R object) {
    var meta = object.getMetadata();
    if (meta != null) {
      meta.setManagedFields(null);
      var annotations = meta.getAnnotations();
      if (annotations != null && annotations.containsKey(LAST_APPLIED)) {
        var kept = new LinkedHashMap<>(annotations);
        kept.remove(LAST_APPLIED);
        meta.setAnnotations(kept);
      }
    }
    return object;
  }

  @Override
  public String getKey(R object) {
    return store.getKey(object);
  }

  @Override
  public R put(String key, R object) {
    return store.put(key, trim(object));
  }

  @Override
  public R remove(String key) {
    return store.remove(key);
  }

  @Override
  public Stream<String> keySet() {
    return store.keySet();
  }

  @Override
  public Stream<R> values() {
    return store.values();
  }

  @Override
  public int size() {
    return store.size();
  }

  @Override
  public R get(String key) {
    return store.get(key);
  }
}
