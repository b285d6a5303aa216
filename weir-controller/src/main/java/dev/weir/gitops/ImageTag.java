package dev.weir.gitops;

/**
 * The tag of an image reference, as Kustomize's {@code newTag} and a Helm chart's {@code image.tag}
 * hold it: what follows the last ':' of the name ({@code registry:5000/checkout:2.4.1} has tag
 * {@code 2.4.1}, not {@code 5000/checkout:2.4.1}), without a digest.
 */
public final class ImageTag {

  private ImageTag() {}

  /** The tag, or {@code latest} when the reference has none (as the container runtime reads it). */
  public static String of(String image) {
    String name = image;
    int at = name.indexOf('@');
    if (at >= 0) {
      name = name.substring(0, at);
    }
    int colon = name.lastIndexOf(':');
    return colon > name.lastIndexOf('/') ? name.substring(colon + 1) : "latest";
  }
}
