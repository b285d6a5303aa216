package dev.weir.rollout.plan;

import dev.weir.api.v1alpha1.PodMetadata;
import dev.weir.api.v1alpha1.RolloutSpec;
import dev.weir.api.v1alpha1.RolloutStatus;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The labels and annotations a blue-green rollout puts on the pods of each side: activeMetadata on
 * the revision the active side serves, previewMetadata on the one being previewed, and neither on
 * any other. Pure: which revision is which comes from status.
 */
public final class PodDecorations {

  private PodDecorations() {}

  /**
   * What to change on a revision's pods: values to set, and {@code null} for keys to remove.
   *
   * @param labels label changes
   * @param annotations annotation changes
   */
  public record Decoration(Map<String, String> labels, Map<String, String> annotations) {
    public boolean isEmpty() {
      return labels.isEmpty() && annotations.isEmpty();
    }

    /** Whether pod metadata already carries these changes. */
    public boolean appliedTo(Map<String, String> podLabels, Map<String, String> podAnnotations) {
      return applied(labels, podLabels) && applied(annotations, podAnnotations);
    }

    private static boolean applied(Map<String, String> changes, Map<String, String> actual) {
      Map<String, String> have = actual == null ? Map.of() : actual;
      return changes.entrySet().stream()
          .allMatch(
              c ->
                  c.getValue() == null
                      ? !have.containsKey(c.getKey())
                      : c.getValue().equals(have.get(c.getKey())));
    }
  }

  /** The decoration of one revision of the rollout, empty when it has none to wear or shed. */
  static Decoration of(RolloutSpec spec, RolloutStatus status, String hash) {
    var blueGreen = spec.strategy == null ? null : spec.strategy.blueGreen;
    if (blueGreen == null || status == null || status.stableRS == null) {
      return new Decoration(Map.of(), Map.of());
    }
    String active =
        status.blueGreen != null && status.blueGreen.activeSelector != null
            ? status.blueGreen.activeSelector
            : status.stableRS;
    String preview = Objects.equals(status.currentPodHash, active) ? null : status.currentPodHash;
    PodMetadata wear =
        hash.equals(active)
            ? blueGreen.activeMetadata
            : hash.equals(preview) ? blueGreen.previewMetadata : null;
    var labels = new LinkedHashMap<String, String>();
    var annotations = new LinkedHashMap<String, String>();
    for (PodMetadata side :
        new PodMetadata[] {blueGreen.activeMetadata, blueGreen.previewMetadata}) {
      if (side != null && side != wear) {
        shed(side.labels, labels);
        shed(side.annotations, annotations);
      }
    }
    if (wear != null) {
      if (wear.labels != null) {
        labels.putAll(wear.labels);
      }
      if (wear.annotations != null) {
        annotations.putAll(wear.annotations);
      }
    }
    return new Decoration(labels, annotations);
  }

  private static void shed(Map<String, String> keys, Map<String, String> into) {
    if (keys != null) {
      keys.keySet().forEach(k -> into.put(k, null));
    }
  }
}
