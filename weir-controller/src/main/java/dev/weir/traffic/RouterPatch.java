package dev.weir.traffic;

import dev.weir.api.WellKnownNames;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;

/** A router's JSON patch of an object it read, as Weir's field manager. */
public final class RouterPatch {

  private RouterPatch() {}

  /**
   * Patches {@code object} through the copy just read (no second read of it before the write), and
   * hands the response to {@code objects}, so that the read-back sees the write.
   */
  public static <R extends HasMetadata> void apply(
      KubernetesClient client, TrafficObjects objects, R object, String jsonPatch) {
    R after =
        client
            .resource(object)
            .patch(
                new PatchContext.Builder()
                    .withPatchType(PatchType.JSON)
                    .withFieldManager(WellKnownNames.FIELD_MANAGER)
                    .build(),
                jsonPatch);
    objects.written(object, after);
  }
}
