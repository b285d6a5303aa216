package dev.weir.testing;

import io.fabric8.kubernetes.api.model.HasMetadata;

/**
 * Someone else who keeps fields of an object at values of their own, whoever writes it: a mutating
 * admission webhook, or a controller that always wins. Every write of the object is amended before
 * it is stored, so the writer reads back the other party's values, never its own. On the real API
 * server this is a real webhook ({@link MutatingWebhook}); the mock server amends the write itself
 * ({@link MockAdmission}).
 */
public interface FieldHolder {

  /**
   * From now on every write of {@code target} (its group, kind, namespace and name) is amended by
   * {@code jsonPatch}, a JSON Patch (RFC 6902) of "add" operations, before it is stored.
   */
  Hold hold(HasMetadata target, String jsonPatch);

  /** One object held; closing lets its writes through as written again. */
  interface Hold extends AutoCloseable {

    /** How many writes of the object were amended so far. */
    int amended();

    @Override
    void close();
  }
}
