package dev.weir.cli.review;

import com.fasterxml.jackson.databind.JsonNode;
import dev.weir.cli.manifest.YamlDocument;

/**
 * One object of one side of a review: as a plain manifest declares it, or as a Kustomize overlay
 * builds it.
 *
 * @param build the overlay that built it (its folder in the side's tree, the same on both sides),
 *     or empty for a plain file
 * @param document the document it was read from (a file of the repository, or the overlay's output)
 * @param value the object, without what the review itself added to build it
 * @param locator where its fields are declared in the repository's files
 */
record ManifestObject(String build, YamlDocument document, JsonNode value, FieldLocator locator) {

  /** The API group, empty for the core group. */
  String group() {
    String apiVersion = value.path("apiVersion").asText("");
    int slash = apiVersion.indexOf('/');
    return slash < 0 ? "" : apiVersion.substring(0, slash);
  }

  String kind() {
    return value.path("kind").asText("");
  }

  String name() {
    return value.path("metadata").path("name").asText("");
  }

  /** The namespace it names, or empty: it goes where it is applied. */
  String namespace() {
    return value.path("metadata").path("namespace").asText("");
  }

  boolean is(String group, String kind) {
    return group().equals(group) && kind().equals(kind);
  }

  /** {@code Rollout shop/checkout}, or {@code Rollout checkout} when it names no namespace. */
  String label() {
    return kind() + " " + (namespace().isEmpty() ? "" : namespace() + "/") + name();
  }

  /** What the object is, wherever it is declared: group, kind, namespace and name. */
  String identity() {
    return group() + "/" + kind() + "/" + namespace() + "/" + name();
  }
}
