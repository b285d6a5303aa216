package dev.weir.traffic.istio;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.weir.api.WellKnownNames;
import dev.weir.api.v1alpha1.IstioDestinationRule;
import dev.weir.api.v1alpha1.Rollout;
import dev.weir.api.v1alpha1.SpecProblem;
import dev.weir.traffic.RouterPatch;
import dev.weir.traffic.Side;
import dev.weir.traffic.TrafficObjects;
import dev.weir.traffic.TrafficRouter;
import dev.weir.traffic.TrafficState;
import io.fabric8.istio.api.api.networking.v1alpha3.Subset;
import io.fabric8.istio.api.networking.v1beta1.DestinationRule;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Subset-level split: pins the stable and canary subsets of a DestinationRule to the revisions'
 * pod-template hashes. Only the hash label of each subset is written.
 */
public final class DestinationRuleRouter implements TrafficRouter {

  private static final String FIELD = "spec.strategy.canary.trafficRouting.istio.destinationRule";

  private final KubernetesClient client;
  private final TrafficObjects objects;

  public DestinationRuleRouter(KubernetesClient client, TrafficObjects objects) {
    this.client = client;
    this.objects = objects;
  }

  @Override
  public TrafficState observe(Rollout rollout) {
    IstioDestinationRule ref = reference(rollout);
    var dr = fetch(rollout, ref);
    var problems = new ArrayList<SpecProblem>();
    var pinned = new EnumMap<Side, Set<String>>(Side.class);
    if (dr == null) {
      problems.add(
          new SpecProblem(
              FIELD + ".name",
              "DestinationRule "
                  + rollout.getMetadata().getNamespace()
                  + "/"
                  + ref.name
                  + " not found"));
      return new TrafficState(null, pinned, problems);
    }
    for (Side side : Side.values()) {
      String subsetName = subsetName(ref, side);
      int index = indexOf(dr, subsetName);
      if (index < 0) {
        problems.add(
            new SpecProblem(
                FIELD + (side == Side.STABLE ? ".stableSubsetName" : ".canarySubsetName"),
                "subset '"
                    + subsetName
                    + "' not found in DestinationRule "
                    + rollout.getMetadata().getNamespace()
                    + "/"
                    + ref.name));
        continue;
      }
      Map<String, String> labels = dr.getSpec().getSubsets().get(index).getLabels();
      String hash = labels == null ? null : labels.get(WellKnownNames.POD_TEMPLATE_HASH_LABEL);
      pinned.put(side, hash == null ? Set.of("") : Set.of(hash));
    }
    return new TrafficState(null, pinned, problems);
  }

  @Override
  public void setWeight(Rollout rollout, int canaryWeight) {
    // The weights live in the VirtualService routes.
  }

  @Override
  public void pin(Rollout rollout, Side side, String podTemplateHash) {
    IstioDestinationRule ref = reference(rollout);
    var dr = fetch(rollout, ref);
    int index = dr == null ? -1 : indexOf(dr, subsetName(ref, side));
    if (index < 0) {
      throw new IllegalStateException(
          "subset '" + subsetName(ref, side) + "' of DestinationRule " + ref.name + " not found");
    }
    String base = "/spec/subsets/" + index;
    var patch = JsonNodeFactory.instance.arrayNode();
    patch
        .addObject()
        .put("op", "test")
        .put("path", base + "/name")
        .put("value", subsetName(ref, side));
    if (dr.getSpec().getSubsets().get(index).getLabels() == null) {
      patch.addObject().put("op", "add").put("path", base + "/labels").putObject("value");
    }
    patch
        .addObject()
        .put("op", "add")
        .put("path", base + "/labels/" + WellKnownNames.POD_TEMPLATE_HASH_LABEL.replace("/", "~1"))
        .put("value", podTemplateHash);
    patch(dr, patch);
  }

  @Override
  public void unpin(Rollout rollout, Side side) {
    IstioDestinationRule ref = reference(rollout);
    var dr = fetch(rollout, ref);
    int index = dr == null ? -1 : indexOf(dr, subsetName(ref, side));
    var labels = index < 0 ? null : dr.getSpec().getSubsets().get(index).getLabels();
    if (labels == null || !labels.containsKey(WellKnownNames.POD_TEMPLATE_HASH_LABEL)) {
      return;
    }
    String base = "/spec/subsets/" + index;
    var patch = JsonNodeFactory.instance.arrayNode();
    patch
        .addObject()
        .put("op", "test")
        .put("path", base + "/name")
        .put("value", subsetName(ref, side));
    patch
        .addObject()
        .put("op", "remove")
        .put("path", base + "/labels/" + WellKnownNames.POD_TEMPLATE_HASH_LABEL.replace("/", "~1"));
    patch(dr, patch);
  }

  /** Patches the DestinationRule as read (no second read of it before the write). */
  private void patch(DestinationRule dr, ArrayNode patch) {
    RouterPatch.apply(client, objects, dr, patch.toString());
  }

  private DestinationRule fetch(Rollout rollout, IstioDestinationRule ref) {
    return objects
        .get(DestinationRule.class, rollout.getMetadata().getNamespace(), ref.name)
        .orElse(null);
  }

  private static IstioDestinationRule reference(Rollout rollout) {
    return dev.weir.traffic.ReleaseSides.routing(rollout).istio.destinationRule;
  }

  private static String subsetName(IstioDestinationRule ref, Side side) {
    return side == Side.STABLE ? ref.stableSubsetName : ref.canarySubsetName;
  }

  private static int indexOf(DestinationRule dr, String subsetName) {
    List<Subset> subsets = dr.getSpec() == null ? null : dr.getSpec().getSubsets();
    if (subsets == null) {
      return -1;
    }
    for (int i = 0; i < subsets.size(); i++) {
      if (subsetName.equals(subsets.get(i).getName())) {
        return i;
      }
    }
    return -1;
  }
}
