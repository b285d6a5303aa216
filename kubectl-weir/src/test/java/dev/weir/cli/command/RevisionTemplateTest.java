package dev.weir.cli.command;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weir.api.WellKnownNames;
import dev.weir.cli.Json;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * An old revision's template recovered from its ReplicaSet, whose template the API server filled
 * with defaults: the result hashes as the revision did, so Weir recognises it.
 */
class RevisionTemplateTest {

  static final String DECLARED =
      """
      {"metadata": {"labels": {"app": "checkout"}},
       "spec": {"containers": [
         {"name": "app", "image": "registry.example/checkout:2.4.1",
          "ports": [{"containerPort": 8080}],
          "readinessProbe": {"httpGet": {"path": "/ready", "port": 8080}}}]}}
      """;

  /** What the API server stores for that template in a ReplicaSet (kube-apiserver 1.20). */
  static JsonNode asStoredInAReplicaSet(JsonNode declared, String hash) {
    ObjectNode t = declared.deepCopy();
    ((ObjectNode) t.path("metadata")).putNull("creationTimestamp");
    ((ObjectNode) t.path("metadata").path("labels"))
        .put(WellKnownNames.POD_TEMPLATE_HASH_LABEL, hash);
    var spec = (ObjectNode) t.path("spec");
    spec.put("restartPolicy", "Always")
        .put("terminationGracePeriodSeconds", 30)
        .put("dnsPolicy", "ClusterFirst")
        .put("schedulerName", "default-scheduler");
    spec.putObject("securityContext");
    for (JsonNode c : spec.path("containers")) {
      var container = (ObjectNode) c;
      container.putObject("resources");
      container
          .put("terminationMessagePath", "/dev/termination-log")
          .put("terminationMessagePolicy", "File");
      if (!container.has("imagePullPolicy")) {
        container.put("imagePullPolicy", "IfNotPresent");
      }
      ((ObjectNode) container.path("ports").get(0)).put("protocol", "TCP");
      var probe = (ObjectNode) container.path("readinessProbe");
      ((ObjectNode) probe.path("httpGet")).put("scheme", "HTTP");
      probe.put("timeoutSeconds", 1).put("periodSeconds", 10).put("successThreshold", 1);
      probe.put("failureThreshold", 3);
    }
    return t;
  }

  @Test
  void theDefaultsAddedByTheApiServerAreLeftOut() {
    JsonNode declared = Json.parse(DECLARED);
    String hash = RevisionTemplate.hash(declared);

    var restored = RevisionTemplate.restore(asStoredInAReplicaSet(declared, hash), hash);

    assertThat(restored.exact()).isTrue();
    assertThat(restored.template()).isEqualTo(declared);
  }

  @Test
  void aDefaultTheUserWroteIsKept() {
    ObjectNode declared = (ObjectNode) Json.parse(DECLARED);
    ((ObjectNode) declared.path("spec").path("containers").get(0))
        .put("imagePullPolicy", "IfNotPresent");
    ((ObjectNode) declared.path("spec")).put("terminationGracePeriodSeconds", 30);
    String hash = RevisionTemplate.hash(declared);

    var restored = RevisionTemplate.restore(asStoredInAReplicaSet(declared, hash), hash);

    assertThat(restored.exact()).isTrue();
    assertThat(RevisionTemplate.hash(restored.template())).isEqualTo(hash);
    assertThat(
            restored
                .template()
                .path("spec")
                .path("containers")
                .get(0)
                .path("imagePullPolicy")
                .asText())
        .isEqualTo("IfNotPresent");
  }

  @Test
  void aTemplateNoCombinationMatchesIsGivenWithoutDefaultsAndSaidInexact() {
    JsonNode declared = Json.parse(DECLARED);

    var restored = RevisionTemplate.restore(asStoredInAReplicaSet(declared, "nomatch"), "nomatch");

    assertThat(restored.exact()).isFalse();
    assertThat(restored.template()).isEqualTo(declared);
  }

  @Test
  void combinationsComeInLexicographicOrderUpToTheLimit() {
    assertThat(RevisionTemplate.combinations(4, 2, 100))
        .containsExactly(
            new int[] {0, 1},
            new int[] {0, 2},
            new int[] {0, 3},
            new int[] {1, 2},
            new int[] {1, 3},
            new int[] {2, 3});
    assertThat(RevisionTemplate.combinations(4, 2, 3)).hasSize(3);
    assertThat(RevisionTemplate.combinations(3, 0, 10)).containsExactly(new int[0]);
    assertThat(List.of(RevisionTemplate.combinations(2, 3, 10))).containsExactly(List.of());
  }
}
