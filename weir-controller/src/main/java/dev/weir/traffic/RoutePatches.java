package dev.weir.traffic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weir.api.WellKnownNames;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.util.ArrayList;
import java.util.List;

/**
 * The JSON patches Weir sends to route lists (a VirtualService's {@code spec.http}, an HTTPRoute's
 * {@code spec.rules}) as its own field manager, through the object just read: the weights, and the
 * routes Weir named, each removal first testing the name of what it removes, so that nothing else
 * is ever taken away.
 */
public final class RoutePatches {

  private RoutePatches() {}

  /** A patch to fill: removals and additions go into it in order. */
  public static ArrayNode empty() {
    return JsonNodeFactory.instance.arrayNode();
  }

  /** Removes every route of {@code list} (at {@code path}) that the rollout named. */
  public static void removeNamed(ArrayNode patch, JsonNode list, String path, String rollout) {
    var named = new ArrayList<Integer>();
    for (int i = 0; list != null && list.isArray() && i < list.size(); i++) {
      if (NamedRoute.isNamedBy(rollout, list.get(i).path("name").asText(null))) {
        named.add(i);
      }
    }
    // From the last, so that each index still points at the route its test names.
    for (int at = named.size() - 1; at >= 0; at--) {
      String route = path + "/" + named.get(at);
      patch
          .addObject()
          .put("op", "test")
          .put("path", route + "/name")
          .put("value", list.get(named.get(at)).path("name").asText());
      patch.addObject().put("op", "remove").put("path", route);
    }
  }

  /** Adds a route at {@code path} (an index, or {@code -} for the end). */
  public static void add(ArrayNode patch, String path, ObjectNode route) {
    patch.addObject().put("op", "add").put("path", path).set("value", route);
  }

  /** Sends the patch through the object just read, as field manager {@code weir}. */
  public static void send(KubernetesClient client, HasMetadata resource, ArrayNode patch) {
    client
        .resource(resource)
        .patch(
            new PatchContext.Builder()
                .withPatchType(PatchType.JSON)
                .withFieldManager(WellKnownNames.FIELD_MANAGER)
                .build(),
            patch.toString());
  }

  /** The elements of a JSON array; none for anything else. */
  public static Iterable<JsonNode> elements(JsonNode array) {
    return array == null || !array.isArray() ? List.of() : array;
  }
}
