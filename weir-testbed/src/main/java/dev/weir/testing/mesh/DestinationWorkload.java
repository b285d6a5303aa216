package dev.weir.testing.mesh;

import dev.weir.api.WellKnownNames;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * A ReplicaSet's pods as the mesh sees them: the workload identity Istio's sidecar reports, and how
 * the pods behave (from the traffic annotations of the pod template).
 *
 * @param replicaSet the ReplicaSet's name
 * @param image the image of the pods' first container
 * @param workload what Istio reports as {@code destination_workload}: the owner's name, i.e. the
 *     ReplicaSet name without its pod-template-hash suffix
 */
record DestinationWorkload(
    String replicaSet,
    String workload,
    String app,
    String version,
    String canonicalService,
    String canonicalRevision,
    double errorRate,
    double medianLatencyMs,
    String image) {

  private static final Logger LOG = Logger.getLogger(DestinationWorkload.class);
  private static final String KUBERNETES_HASH_LABEL = "pod-template-hash";
  private static final double DEFAULT_ERROR_RATE = 0;
  private static final double DEFAULT_LATENCY_MS = 20;

  static DestinationWorkload of(ReplicaSet rs) {
    String name = rs.getMetadata().getName();
    var template = rs.getSpec().getTemplate().getMetadata();
    Map<String, String> labels = orEmpty(template == null ? null : template.getLabels());
    Map<String, String> annotations = orEmpty(template == null ? null : template.getAnnotations());
    String workload = withoutHash(name, labels);
    String app = labels.get("app");
    String version = labels.get("version");
    return new DestinationWorkload(
        name,
        workload,
        app == null ? "unknown" : app,
        version == null ? "unknown" : version,
        first(labels, workload, "service.istio.io/canonical-name", "app.kubernetes.io/name", "app"),
        first(
            labels,
            "latest",
            "service.istio.io/canonical-revision",
            "app.kubernetes.io/version",
            "version"),
        fraction(annotations, TrafficSimulator.ERROR_RATE, DEFAULT_ERROR_RATE, name),
        nonNegative(annotations, TrafficSimulator.LATENCY_MS, DEFAULT_LATENCY_MS, name),
        firstImage(rs));
  }

  private static String firstImage(ReplicaSet rs) {
    var spec = rs.getSpec().getTemplate().getSpec();
    return spec == null || spec.getContainers() == null || spec.getContainers().isEmpty()
        ? ""
        : spec.getContainers().get(0).getImage();
  }

  /** Istio names a ReplicaSet's pods after the owner of the ReplicaSet: the hash goes. */
  private static String withoutHash(String name, Map<String, String> labels) {
    for (String label :
        new String[] {WellKnownNames.POD_TEMPLATE_HASH_LABEL, KUBERNETES_HASH_LABEL}) {
      String hash = labels.get(label);
      if (hash != null && name.endsWith("-" + hash)) {
        return name.substring(0, name.length() - hash.length() - 1);
      }
    }
    return name;
  }

  private static String first(Map<String, String> labels, String fallback, String... keys) {
    for (String key : keys) {
      if (labels.containsKey(key)) {
        return labels.get(key);
      }
    }
    return fallback;
  }

  private static double fraction(
      Map<String, String> annotations, String key, double fallback, String rs) {
    double value = number(annotations, key, fallback, rs);
    return Math.min(1, Math.max(0, value));
  }

  private static double nonNegative(
      Map<String, String> annotations, String key, double fallback, String rs) {
    double value = number(annotations, key, fallback, rs);
    return value >= 0 ? value : fallback;
  }

  private static double number(
      Map<String, String> annotations, String key, double fallback, String rs) {
    String raw = annotations.get(key);
    if (raw == null) {
      return fallback;
    }
    try {
      return Double.parseDouble(raw.trim());
    } catch (NumberFormatException e) {
      LOG.debugf("ReplicaSet %s: %s=%s is not a number, using %s", rs, key, raw, fallback);
      return fallback;
    }
  }

  private static Map<String, String> orEmpty(Map<String, String> map) {
    return map == null ? Map.of() : map;
  }
}
