package dev.weir.api.v1alpha1;

/** What part of the stable revision's image the field of a write-back holds. */
public enum GitWriteBackValue {
  /** The whole image reference ({@code registry.example/checkout:2.4.1}): a Rollout manifest. */
  image,
  /**
   * The tag only ({@code 2.4.1}): a Kustomize {@code images[].newTag}, a Helm {@code image.tag}.
   */
  tag
}
