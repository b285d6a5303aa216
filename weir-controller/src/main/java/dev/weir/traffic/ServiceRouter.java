package dev.weir.traffic;

import dev.weir.api.WellKnownNames;
import dev.weir.api.v1alpha1.Rollout;
import dev.weir.api.v1alpha1.SpecProblem;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.Set;

/**
 * Pins the stable and canary Services to their revisions by adding the pod-template hash to their
 * selectors; the rest of each selector stays with whoever applied the Service.
 */
public final class ServiceRouter implements TrafficRouter {

  private final KubernetesClient client;
  private final TrafficObjects objects;

  public ServiceRouter(KubernetesClient client) {
    this(client, TrafficObjects.direct(client));
  }

  public ServiceRouter(KubernetesClient client, TrafficObjects objects) {
    this.client = client;
    this.objects = objects;
  }

  @Override
  public TrafficState observe(Rollout rollout) {
    var problems = new ArrayList<SpecProblem>();
    var pinned = new EnumMap<Side, Set<String>>(Side.class);
    for (Side side : Side.values()) {
      String name = serviceName(rollout, side);
      if (name == null) {
        continue;
      }
      Service service = fetch(rollout, name);
      if (service == null) {
        problems.add(
            new SpecProblem(
                ReleaseSides.serviceField(rollout, side),
                "Service " + rollout.getMetadata().getNamespace() + "/" + name + " not found"));
        continue;
      }
      var selector = service.getSpec().getSelector();
      String hash = selector == null ? null : selector.get(WellKnownNames.POD_TEMPLATE_HASH_LABEL);
      pinned.put(side, Set.of(hash == null ? "" : hash));
    }
    return new TrafficState(null, pinned, problems);
  }

  @Override
  public void setWeight(Rollout rollout, int canaryWeight) {
    // A Service selects one revision; weights are the mesh's job.
  }

  @Override
  public void pin(Rollout rollout, Side side, String podTemplateHash) {
    patchSelector(rollout, side, "\"" + podTemplateHash + "\"");
  }

  @Override
  public void unpin(Rollout rollout, Side side) {
    // In a merge patch, null removes the key.
    patchSelector(rollout, side, "null");
  }

  /** Sets the hash key of the side's Service's selector to {@code json}, the rest left as it is. */
  private void patchSelector(Rollout rollout, Side side, String json) {
    String name = serviceName(rollout, side);
    if (name == null) {
      return;
    }
    String patch =
        "{\"spec\":{\"selector\":{\""
            + WellKnownNames.POD_TEMPLATE_HASH_LABEL
            + "\":"
            + json
            + "}}}";
    // Patched through an object that names the Service: by name alone, the client reads it from
    // the API server first, one GET per write.
    var named =
        new ServiceBuilder()
            .withNewMetadata()
            .withNamespace(rollout.getMetadata().getNamespace())
            .withName(name)
            .endMetadata()
            .build();
    Service before = fetch(rollout, name);
    Service after =
        client
            .resource(named)
            .patch(
                new PatchContext.Builder()
                    .withPatchType(PatchType.JSON_MERGE)
                    .withFieldManager(WellKnownNames.FIELD_MANAGER)
                    .build(),
                patch);
    if (before != null) {
      objects.written(before, after);
    }
  }

  private Service fetch(Rollout rollout, String name) {
    return objects.get(Service.class, rollout.getMetadata().getNamespace(), name).orElse(null);
  }

  private static String serviceName(Rollout rollout, Side side) {
    return ReleaseSides.service(rollout, side);
  }
}
