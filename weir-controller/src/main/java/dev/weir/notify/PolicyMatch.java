package dev.weir.notify;

import dev.weir.api.v1alpha1.NotificationDestination;
import dev.weir.api.v1alpha1.NotificationPolicy;
import dev.weir.api.v1alpha1.NotificationTrigger;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Which destinations of which policies a notice goes to: the policies of the rollout's namespace
 * whose triggers include it and whose selector matches the rollout's labels, as Kubernetes matches
 * label selectors. Pure.
 */
public final class PolicyMatch {

  /** One destination of one policy. */
  public record Target(String policy, NotificationDestination destination) {}

  private PolicyMatch() {}

  public static List<Target> targets(
      List<NotificationPolicy> policies, Map<String, String> labels, NotificationTrigger trigger) {
    var targets = new ArrayList<Target>();
    policies.stream()
        .sorted(Comparator.comparing(p -> p.getMetadata().getName()))
        .filter(p -> p.getSpec() != null && p.getSpec().triggers != null)
        .filter(p -> p.getSpec().triggers.contains(trigger))
        .filter(p -> matches(p.getSpec().selector, labels == null ? Map.of() : labels))
        .forEach(
            p -> {
              if (p.getSpec().destinations != null) {
                p.getSpec().destinations.stream()
                    .filter(d -> d != null && d.name != null)
                    .filter(d -> NoticeDestinations.tells(d, trigger))
                    .forEach(d -> targets.add(new Target(p.getMetadata().getName(), d)));
              }
            });
    return targets;
  }

  /** Whether a label selector matches the labels; no selector matches everything. */
  public static boolean matches(LabelSelector selector, Map<String, String> labels) {
    if (selector == null) {
      return true;
    }
    if (selector.getMatchLabels() != null) {
      for (var e : selector.getMatchLabels().entrySet()) {
        if (!e.getValue().equals(labels.get(e.getKey()))) {
          return false;
        }
      }
    }
    if (selector.getMatchExpressions() != null) {
      for (LabelSelectorRequirement r : selector.getMatchExpressions()) {
        if (!matches(r, labels)) {
          return false;
        }
      }
    }
    return true;
  }

  private static boolean matches(LabelSelectorRequirement r, Map<String, String> labels) {
    String value = labels.get(r.getKey());
    List<String> values = r.getValues() == null ? List.of() : r.getValues();
    return switch (r.getOperator() == null ? "" : r.getOperator()) {
      case "In" -> value != null && values.contains(value);
      case "NotIn" -> value == null || !values.contains(value);
      case "Exists" -> labels.containsKey(r.getKey());
      case "DoesNotExist" -> !labels.containsKey(r.getKey());
        // An operator the validator refuses matches nothing: a broken policy tells no one.
      default -> false;
    };
  }
}
