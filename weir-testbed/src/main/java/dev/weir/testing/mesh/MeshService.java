package dev.weir.testing.mesh;

/** A Kubernetes Service as a route's destination host resolves to it. */
record MeshService(String name, String namespace) {

  private static final String CLUSTER_DOMAIN = ".svc.cluster.local";

  /** The fully qualified name Istio reports as {@code destination_service}. */
  String host() {
    return name + "." + namespace + CLUSTER_DOMAIN;
  }

  /**
   * The Service a destination host names, if it lives in {@code namespace}: Istio reads a short
   * host ({@code checkout}) relative to the VirtualService's namespace, and accepts {@code
   * checkout.shop}, {@code checkout.shop.svc} and the full {@code checkout.shop.svc.cluster.local}.
   */
  static MeshService resolve(String host, String namespace) {
    if (host == null || host.isBlank()) {
      return null;
    }
    String name = strip(strip(strip(host, CLUSTER_DOMAIN), ".svc"), "." + namespace);
    return name.contains(".") ? null : new MeshService(name, namespace);
  }

  private static String strip(String host, String suffix) {
    return host.endsWith(suffix) ? host.substring(0, host.length() - suffix.length()) : host;
  }
}
