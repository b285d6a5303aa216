package dev.weir.cli.convert;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The metadata of a converted object: what its author wrote (name, namespace, labels, annotations);
 * not what the API server or the peer's controller wrote on it (uid, revisions, owners, the peer's
 * own annotations).
 */
final class ObjectMetadata {

  private ObjectMetadata() {}

  /** Annotations and labels the peers' controllers and kubectl write, by prefix. */
  private static final String[] WRITTEN_BY_TOOLS = {
    "kubectl.kubernetes.io/last-applied-configuration",
    "rollout.argoproj.io/",
    "rollouts-pod-template-hash",
    "flagger.app/",
    "deployment.kubernetes.io/"
  };

  static final FieldMap MAP =
      new FieldMap("metadata")
          .same("name", "namespace", "generateName")
          .rule("labels", ObjectMetadata::authored)
          .rule("annotations", ObjectMetadata::authored)
          .ignored(
              "uid",
              "resourceVersion",
              "generation",
              "creationTimestamp",
              "deletionTimestamp",
              "deletionGracePeriodSeconds",
              "managedFields",
              "selfLink",
              "ownerReferences",
              "finalizers");

  private static void authored(
      Source src, String path, String name, JsonNode value, ObjectNode out) {
    ObjectNode kept = JsonNodeFactory.instance.objectNode();
    value
        .fields()
        .forEachRemaining(
            e -> {
              if (!writtenByTools(e.getKey())) {
                kept.set(e.getKey(), e.getValue().deepCopy());
              }
            });
    if (!kept.isEmpty()) {
      out.set(name, kept);
    }
  }

  static boolean writtenByTools(String key) {
    for (String prefix : WRITTEN_BY_TOOLS) {
      if (key.startsWith(prefix)) {
        return true;
      }
    }
    return false;
  }

  /** The metadata of {@code source} (an object's metadata node), as it carries over. */
  static ObjectNode of(Source src, JsonNode metadata) {
    return MAP.convert(src, "metadata", metadata);
  }
}
