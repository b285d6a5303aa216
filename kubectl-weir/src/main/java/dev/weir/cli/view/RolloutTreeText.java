package dev.weir.cli.view;

import com.fasterxml.jackson.databind.JsonNode;
import dev.weir.api.WellKnownNames;
import dev.weir.cli.cluster.Rollouts;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The tree of {@code kubectl weir get rollout}, plain, for a program that already holds a client
 * (the demo shows a release with it): the same view, read through that client.
 */
public final class RolloutTreeText {

  private RolloutTreeText() {}

  /** The rollout's tree now, or null while the rollout does not exist. */
  public static String render(KubernetesClient client, String namespace, String name) {
    var mapper = Serialization.jsonMapper();
    var found =
        client
            .genericKubernetesResources(WellKnownNames.API_VERSION, "Rollout")
            .inNamespace(namespace)
            .withName(name)
            .get();
    if (found == null) {
      return null;
    }
    JsonNode rollout = mapper.valueToTree(found);
    String uid = found.getMetadata().getUid();
    List<JsonNode> replicaSets = new ArrayList<>();
    for (var rs : client.apps().replicaSets().inNamespace(namespace).list().getItems()) {
      JsonNode node = mapper.valueToTree(rs);
      if (Rollouts.ownedBy(node, uid)) {
        replicaSets.add(node);
      }
    }
    List<JsonNode> runs = new ArrayList<>();
    client
        .genericKubernetesResources(WellKnownNames.API_VERSION, "AnalysisRun")
        .inNamespace(namespace)
        .withLabel(WellKnownNames.ROLLOUT_LABEL, name)
        .list()
        .getItems()
        .forEach(r -> runs.add(mapper.valueToTree(r)));
    return RolloutTree.render(
        RolloutViews.of(rollout, replicaSets, runs), Style.PLAIN, Instant.now());
  }
}
