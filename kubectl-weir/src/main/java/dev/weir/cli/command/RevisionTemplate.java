package dev.weir.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weir.api.PodTemplateHash;
import dev.weir.api.WellKnownNames;
import dev.weir.cli.Json;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The pod template of an old revision, as the rollout declared it, recovered from its ReplicaSet.
 *
 * <p>The API server fills in defaults when it stores a ReplicaSet ({@code dnsPolicy: ClusterFirst},
 * {@code terminationMessagePath}, {@code imagePullPolicy}...), which a Rollout's template does not
 * get. Put back as they are, those fields would make a template with another hash: Weir would see a
 * new revision, not the old one (and not roll back instantly to stable). So the fields that hold a
 * default are dropped, in the combination that gives the revision's own hash back.
 */
final class RevisionTemplate {

  /** At most this many combinations are hashed before settling for all defaults dropped. */
  static final int MAX_TRIES = 4096;

  /** The template, and whether its hash is the revision's. */
  record Restored(JsonNode template, boolean exact) {}

  private record Field(ObjectNode parent, String name, JsonNode value) {}

  private static final Map<String, List<Object>> POD_DEFAULTS =
      Map.of(
          "restartPolicy", List.of("Always"),
          "dnsPolicy", List.of("ClusterFirst"),
          "schedulerName", List.of("default-scheduler"),
          "terminationGracePeriodSeconds", List.of(30),
          "enableServiceLinks", List.of(true));

  private static final Map<String, List<Object>> CONTAINER_DEFAULTS =
      Map.of(
          "terminationMessagePath", List.of("/dev/termination-log"),
          "terminationMessagePolicy", List.of("File"),
          "imagePullPolicy", List.of("IfNotPresent", "Always", "Never"));

  private static final Map<String, List<Object>> PROBE_DEFAULTS =
      Map.of(
          "timeoutSeconds", List.of(1),
          "periodSeconds", List.of(10),
          "successThreshold", List.of(1),
          "failureThreshold", List.of(3));

  private RevisionTemplate() {}

  /** The hash Weir gives a template. */
  static String hash(JsonNode template) {
    return PodTemplateHash.of(Json.bind(template, PodTemplateSpec.class));
  }

  /**
   * The template of the ReplicaSet {@code rsTemplate} whose hash is {@code hash}, without the hash
   * label and without the defaults the API server added.
   */
  static Restored restore(JsonNode rsTemplate, String hash) {
    ObjectNode template = rsTemplate.deepCopy();
    JsonNode labels = Json.at(template, "metadata", "labels");
    if (labels instanceof ObjectNode l) {
      l.remove(WellKnownNames.POD_TEMPLATE_HASH_LABEL);
    }
    if (template.path("metadata") instanceof ObjectNode meta
        && meta.path("creationTimestamp").isNull()) {
      meta.remove("creationTimestamp");
    }
    List<Field> defaults = defaults(template);
    int k = defaults.size();
    int tries = 0;
    // Fewest kept first: most templates declare none of these fields.
    for (int kept = 0; kept <= k && tries < MAX_TRIES; kept++) {
      for (int[] combo : combinations(k, kept, MAX_TRIES - tries)) {
        tries++;
        ObjectNode candidate = without(template, defaults, combo);
        if (hash.equals(hash(candidate))) {
          return new Restored(candidate, true);
        }
      }
    }
    return new Restored(without(template, defaults, new int[0]), false);
  }

  /** Every field holding a value the API server would have defaulted it to. */
  private static List<Field> defaults(ObjectNode template) {
    var found = new ArrayList<Field>();
    JsonNode spec = template.path("spec");
    if (!(spec instanceof ObjectNode pod)) {
      return found;
    }
    collect(pod, POD_DEFAULTS, found);
    if (pod.path("securityContext").isObject() && pod.path("securityContext").isEmpty()) {
      found.add(new Field(pod, "securityContext", pod.path("securityContext")));
    }
    for (String list : List.of("initContainers", "containers")) {
      for (JsonNode c : pod.path(list)) {
        if (!(c instanceof ObjectNode container)) {
          continue;
        }
        collect(container, CONTAINER_DEFAULTS, found);
        if (container.path("resources").isObject() && container.path("resources").isEmpty()) {
          found.add(new Field(container, "resources", container.path("resources")));
        }
        for (JsonNode port : container.path("ports")) {
          if (port instanceof ObjectNode p && "TCP".equals(p.path("protocol").asText(null))) {
            found.add(new Field(p, "protocol", p.path("protocol")));
          }
        }
        for (String probe : List.of("livenessProbe", "readinessProbe", "startupProbe")) {
          if (container.path(probe) instanceof ObjectNode p) {
            collect(p, PROBE_DEFAULTS, found);
            if (p.path("httpGet") instanceof ObjectNode get
                && "HTTP".equals(get.path("scheme").asText(null))) {
              found.add(new Field(get, "scheme", get.path("scheme")));
            }
          }
        }
        for (JsonNode env : container.path("env")) {
          if (Json.at(env, "valueFrom", "fieldRef") instanceof ObjectNode ref
              && "v1".equals(ref.path("apiVersion").asText(null))) {
            found.add(new Field(ref, "apiVersion", ref.path("apiVersion")));
          }
        }
      }
    }
    for (JsonNode volume : pod.path("volumes")) {
      for (String source : List.of("configMap", "secret", "downwardAPI", "projected")) {
        if (volume.path(source) instanceof ObjectNode s && s.path("defaultMode").asInt() == 420) {
          found.add(new Field(s, "defaultMode", s.path("defaultMode")));
        }
      }
    }
    return found;
  }

  private static void collect(
      ObjectNode node, Map<String, List<Object>> defaults, List<Field> found) {
    defaults.forEach(
        (name, values) -> {
          JsonNode value = node.get(name);
          if (value != null && values.contains(scalar(value))) {
            found.add(new Field(node, name, value));
          }
        });
  }

  private static Object scalar(JsonNode value) {
    if (value.isBoolean()) {
      return value.asBoolean();
    }
    if (value.isIntegralNumber()) {
      return value.asInt();
    }
    return value.asText();
  }

  /** The template with every default field removed except those at the {@code kept} indexes. */
  private static ObjectNode without(ObjectNode template, List<Field> defaults, int[] kept) {
    var keep = new java.util.HashSet<Integer>();
    for (int i : kept) {
      keep.add(i);
    }
    for (int i = 0; i < defaults.size(); i++) {
      if (!keep.contains(i)) {
        defaults.get(i).parent().remove(defaults.get(i).name());
      }
    }
    ObjectNode copy = template.deepCopy();
    for (Field f : defaults) {
      f.parent().set(f.name(), f.value());
    }
    return copy;
  }

  /**
   * The first {@code limit} {@code r}-element subsets of {@code 0..n-1}, in lexicographic order.
   */
  static List<int[]> combinations(int n, int r, int limit) {
    var result = new ArrayList<int[]>();
    int[] combo = new int[r];
    for (int i = 0; i < r; i++) {
      combo[i] = i;
    }
    if (r > n) {
      return result;
    }
    while (result.size() < limit) {
      result.add(combo.clone());
      int i = r - 1;
      while (i >= 0 && combo[i] == n - r + i) {
        i--;
      }
      if (i < 0) {
        return result;
      }
      combo[i]++;
      for (int j = i + 1; j < r; j++) {
        combo[j] = combo[j - 1] + 1;
      }
    }
    return result;
  }
}
