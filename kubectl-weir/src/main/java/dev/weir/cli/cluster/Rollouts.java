package dev.weir.cli.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import dev.weir.api.WellKnownNames;
import dev.weir.cli.CliException;
import dev.weir.cli.Json;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * Weir's resources in one namespace (or all) as the plugin reads and changes them: rollouts, their
 * ReplicaSets and their AnalysisRuns as JSON trees; user actions as small patches, never a rewrite
 * of the whole object, under field manager {@code kubectl-weir}.
 */
public final class Rollouts {

  static final String RESOURCE = "rollouts." + WellKnownNames.GROUP;

  static final ResourceDefinitionContext ROLLOUT =
      new ResourceDefinitionContext.Builder()
          .withGroup(WellKnownNames.GROUP)
          .withVersion("v1alpha1")
          .withKind("Rollout")
          .withPlural("rollouts")
          .withNamespaced(true)
          .build();

  static final ResourceDefinitionContext ANALYSIS_RUN =
      new ResourceDefinitionContext.Builder()
          .withGroup(WellKnownNames.GROUP)
          .withVersion("v1alpha1")
          .withKind("AnalysisRun")
          .withPlural("analysisruns")
          .withNamespaced(true)
          .build();

  static final ResourceDefinitionContext REPLICA_SET =
      new ResourceDefinitionContext.Builder()
          .withGroup("apps")
          .withVersion("v1")
          .withKind("ReplicaSet")
          .withPlural("replicasets")
          .withNamespaced(true)
          .build();

  private final Cluster cluster;
  private final String namespace;

  public Rollouts(Cluster cluster, String namespace) {
    this.cluster = cluster;
    this.namespace = namespace;
    // Made while the connection is under way: Jackson's first mapper costs a cold JVM a tenth
    // of a second.
    Json.init();
  }

  public String namespace() {
    return namespace;
  }

  /** {@code rollout.weir.dev/NAME}, as kubectl names the object it acted on. */
  public static String ref(String name) {
    return "rollout." + WellKnownNames.GROUP + "/" + name;
  }

  /** {@code rollouts.weir.dev "NAME"}, as kubectl names an object in its errors. */
  public static String quoted(String name) {
    return RESOURCE + " \"" + name + "\"";
  }

  private KubernetesClient client() {
    return cluster.client();
  }

  public JsonNode get(String name) {
    return getJson(
        "apis/" + WellKnownNames.API_VERSION + "/namespaces/" + namespace + "/rollouts/" + name);
  }

  /** The rollouts of the namespace, or of all namespaces, by namespace and name. */
  public List<JsonNode> list(boolean allNamespaces) {
    String path =
        allNamespaces
            ? "apis/" + WellKnownNames.API_VERSION + "/rollouts"
            : "apis/" + WellKnownNames.API_VERSION + "/namespaces/" + namespace + "/rollouts";
    var items = new ArrayList<JsonNode>();
    getJson(path).path("items").forEach(items::add);
    items.sort(
        (a, b) -> {
          int ns =
              Json.text(a, "metadata", "namespace")
                  .compareTo(Json.text(b, "metadata", "namespace"));
          return ns != 0
              ? ns
              : Json.text(a, "metadata", "name").compareTo(Json.text(b, "metadata", "name"));
        });
    return items;
  }

  /** The ReplicaSets the rollout controls (owner reference), newest revision first. */
  public List<JsonNode> replicaSets(JsonNode rollout) {
    String uid = Json.text(rollout, "metadata", "uid");
    String selector = selector(Json.at(rollout, "spec", "selector", "matchLabels"));
    String url =
        "apis/apps/v1/namespaces/"
            + Json.text(rollout, "metadata", "namespace")
            + "/replicasets"
            + (selector.isEmpty() ? "" : "?labelSelector=" + encode(selector));
    var owned = new ArrayList<JsonNode>();
    for (JsonNode rs : getJson(url).path("items")) {
      if (ownedBy(rs, uid)) {
        owned.add(rs);
      }
    }
    return owned;
  }

  public static boolean ownedBy(JsonNode object, String uid) {
    for (JsonNode owner : Json.at(object, "metadata", "ownerReferences")) {
      if (uid != null
          && uid.equals(owner.path("uid").asText())
          && owner.path("controller").asBoolean()) {
        return true;
      }
    }
    return false;
  }

  /**
   * The AnalysisRuns of the rollout (label {@value #WellKnownNames.ROLLOUT_LABEL}); none when the
   * API server does not know AnalysisRuns at all (their CRD not installed).
   */
  public List<JsonNode> analysisRuns(String rolloutNamespace, String name) {
    if (!cluster.serves("analysisruns")) {
      return List.of();
    }
    String url =
        "apis/"
            + WellKnownNames.API_VERSION
            + "/namespaces/"
            + rolloutNamespace
            + "/analysisruns?labelSelector="
            + encode(WellKnownNames.ROLLOUT_LABEL + "=" + name);
    try {
      var runs = new ArrayList<JsonNode>();
      Json.parse(cluster.get(url)).path("items").forEach(runs::add);
      return runs;
    } catch (KubernetesClientException e) {
      // Someone allowed to read rollouts but not their AnalysisRuns still sees the rollout.
      if (KubeErrors.unknownResourceType(e) || e.getCode() == 403) {
        return List.of();
      }
      throw failure(e);
    }
  }

  /** A merge patch of the status subresource: promote, abort, retry. */
  public void patchStatus(String name, String json) {
    patch(name, PatchType.JSON_MERGE, json, true);
  }

  /** A merge patch of the rollout: pause, resume, restart. */
  public void mergePatch(String name, String json) {
    patch(name, PatchType.JSON_MERGE, json, false);
  }

  /** An RFC 6902 JSON patch of the rollout: undo, set image (list items addressed by index). */
  public void jsonPatch(String name, String json) {
    patch(name, PatchType.JSON, json, false);
  }

  private void patch(String name, PatchType type, String json, boolean status) {
    var context =
        new PatchContext.Builder()
            .withPatchType(type)
            .withFieldManager(WellKnownNames.PLUGIN_FIELD_MANAGER)
            .build();
    try {
      var resource =
          client().genericKubernetesResources(ROLLOUT).inNamespace(namespace).withName(name);
      if (status) {
        resource.subresource("status").patch(context, json);
      } else {
        resource.patch(context, json);
      }
    } catch (KubernetesClientException e) {
      throw failure(e);
    }
  }

  /** An object as a watch saw it change. */
  public record Change(JsonNode object, boolean deleted) {}

  /** Calls {@code onChange} whenever the rollout changes, until the watch is closed. */
  public Watch watchRollout(String name, Consumer<Change> onChange, Runnable onClose) {
    return client()
        .genericKubernetesResources(ROLLOUT)
        .inNamespace(namespace)
        .withName(name)
        .watch(new Relay(onChange, onClose));
  }

  public Watch watchRollouts(boolean allNamespaces, Consumer<Change> onChange, Runnable onClose) {
    var rollouts = client().genericKubernetesResources(ROLLOUT);
    var relay = new Relay(onChange, onClose);
    return allNamespaces
        ? rollouts.inAnyNamespace().watch(relay)
        : rollouts.inNamespace(namespace).watch(relay);
  }

  public Watch watchReplicaSets(Consumer<Change> onChange, Runnable onClose) {
    return client()
        .genericKubernetesResources(REPLICA_SET)
        .inNamespace(namespace)
        .watch(new Relay(onChange, onClose));
  }

  /** Null when AnalysisRuns are unknown to the API server. */
  public Watch watchAnalysisRuns(String name, Consumer<Change> onChange, Runnable onClose) {
    if (!cluster.serves("analysisruns")) {
      return null;
    }
    try {
      return client()
          .genericKubernetesResources(ANALYSIS_RUN)
          .inNamespace(namespace)
          .withLabel(WellKnownNames.ROLLOUT_LABEL, name)
          .watch(new Relay(onChange, onClose));
    } catch (KubernetesClientException e) {
      if (e.getCode() == 404 || e.getCode() == 403) {
        return null;
      }
      throw failure(e);
    }
  }

  private JsonNode getJson(String path) {
    try {
      return Json.parse(cluster.get(path));
    } catch (KubernetesClientException e) {
      throw failure(e);
    }
  }

  /** The error as the user reads it; a 404 without a name means the resource type is unknown. */
  CliException failure(KubernetesClientException e) {
    if (KubeErrors.unknownResourceType(e)) {
      String what = e.getResourcePlural() != null ? e.getResourcePlural() : resourceOf(e);
      return CliException.error(
          "the server doesn't have a resource type \""
              + what
              + "\" in "
              + WellKnownNames.API_VERSION
              + ": are Weir's CRDs installed?");
    }
    return new CliException(cluster.describe(e));
  }

  private static String resourceOf(KubernetesClientException e) {
    String message = e.getMessage() == null ? "" : e.getMessage();
    return message.contains("analysisruns") ? "analysisruns" : "rollouts";
  }

  private static String selector(JsonNode matchLabels) {
    var labels = new TreeMap<String, String>();
    matchLabels.fields().forEachRemaining(f -> labels.put(f.getKey(), f.getValue().asText()));
    var parts = new ArrayList<String>();
    for (Map.Entry<String, String> e : labels.entrySet()) {
      parts.add(e.getKey() + "=" + e.getValue());
    }
    return String.join(",", parts);
  }

  private static String encode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  /** Hands each event's object on as a tree; a closed watch is reported once. */
  private static final class Relay implements Watcher<GenericKubernetesResource> {
    private final Consumer<Change> onChange;
    private final Runnable onClose;

    Relay(Consumer<Change> onChange, Runnable onClose) {
      this.onChange = onChange;
      this.onClose = onClose;
    }

    @Override
    public void eventReceived(Action action, GenericKubernetesResource resource) {
      onChange.accept(new Change(Json.MAPPER.valueToTree(resource), action == Action.DELETED));
    }

    @Override
    public void onClose(WatcherException cause) {
      onClose.run();
    }

    @Override
    public void onClose() {
      onClose.run();
    }
  }
}
