package dev.weir.rollout.plan;

import dev.weir.api.v1alpha1.RolloutSpec;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * status.selector, the scale subresource's selector: spec.selector's matchLabels as a label
 * selector string ({@code app=checkout,tier=web}), with which a HorizontalPodAutoscaler finds the
 * pods of every revision (each revision's pods wear the rollout's labels plus their hash).
 */
final class ScaleSelector {

  private ScaleSelector() {}

  /** The selector string, or null when the spec has no labels to select by. */
  static String of(RolloutSpec spec) {
    Map<String, String> labels =
        spec == null || spec.selector == null ? null : spec.selector.getMatchLabels();
    if (labels == null || labels.isEmpty()) {
      return null;
    }
    return new TreeMap<>(labels)
        .entrySet().stream()
            .map(label -> label.getKey() + "=" + label.getValue())
            .collect(Collectors.joining(","));
  }
}
