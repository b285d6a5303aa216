package dev.weir.cli.review;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;

/**
 * One object on the two sides of a pull request: changed, added ({@code base} null) or removed
 * ({@code head} null).
 */
record Change(ManifestObject base, ManifestObject head) {

  ManifestObject either() {
    return head != null ? head : base;
  }

  boolean added() {
    return base == null;
  }

  boolean removed() {
    return head == null;
  }

  boolean changed() {
    return base == null || head == null || !base.value().equals(head.value());
  }

  boolean is(String group, String kind) {
    return either().is(group, kind);
  }

  String kind() {
    return either().kind();
  }

  /** The value before, at a path of field names; a missing node when absent or added. */
  JsonNode before(String... path) {
    return at(base, path);
  }

  /** The value after, at a path of field names; a missing node when absent or removed. */
  JsonNode after(String... path) {
    return at(head, path);
  }

  private static JsonNode at(ManifestObject object, String... path) {
    if (object == null) {
      return MissingNode.getInstance();
    }
    JsonNode node = object.value();
    for (String field : path) {
      node = node.path(field);
    }
    return node;
  }

  /** Where a reviewer sees the field: on the pull request's side, or where it was if removed. */
  Location at(String path) {
    return either().locator().locate(path);
  }
}
