package dev.weir.admission;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import dev.weir.analysis.AnalysisRunDriver;
import dev.weir.api.WellKnownNames;
import dev.weir.api.v1alpha1.AnalysisRunSpec;
import dev.weir.api.v1alpha1.AnalysisTemplateSpec;
import dev.weir.api.v1alpha1.Metric;
import dev.weir.api.v1alpha1.NotificationPolicySpec;
import dev.weir.api.v1alpha1.RolloutSpec;
import dev.weir.api.v1alpha1.SpecProblem;
import dev.weir.api.validation.AnalysisTemplateValidator;
import dev.weir.api.validation.NoDataRatios;
import dev.weir.api.validation.NotificationPolicyValidator;
import dev.weir.api.validation.RolloutValidator;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The admission check of Weir's resources: the same rules the reconcilers apply, run when the
 * object is written, so that {@code kubectl apply} — and an Argo CD or Flux sync — fails with the
 * message that names the field. Only what the object itself says is judged: a reference to a
 * template or a route that does not exist yet is left to the reconciler, because a GitOps sync may
 * apply the two in either order.
 */
public final class AdmissionCheck {

  private AdmissionCheck() {}

  /**
   * The problems of an object of one of Weir's kinds, empty when it may be admitted (or is of a
   * kind Weir does not judge).
   *
   * @param kind the object's kind
   * @param object the object as the API server sent it
   */
  public static List<SpecProblem> problems(String kind, JsonNode object) {
    if (object == null || object.isNull()) {
      return List.of();
    }
    JsonNode spec = object.path("spec");
    try {
      return switch (kind) {
        case "Rollout" -> rollout(object, bind(spec, RolloutSpec.class));
        case "AnalysisTemplate", "ClusterAnalysisTemplate" ->
            AnalysisTemplateValidator.check(bind(spec, AnalysisTemplateSpec.class));
        case "AnalysisRun" -> analysisRun(bind(spec, AnalysisRunSpec.class));
        case "NotificationPolicy" ->
            NotificationPolicyValidator.check(bind(spec, NotificationPolicySpec.class));
        default -> List.of();
      };
    } catch (IllegalArgumentException e) {
      return List.of(unreadable(e));
    }
  }

  /**
   * What the API server shows the client beside an admitted object ({@code Warning:} lines of
   * kubectl): valid specs that will likely surprise, such as an error ratio that is no data while
   * nothing fails.
   */
  public static List<String> warnings(String kind, JsonNode object) {
    if (object == null
        || object.isNull()
        || !(kind.endsWith("AnalysisTemplate") || kind.equals("AnalysisRun"))) {
      return List.of();
    }
    try {
      JsonNode spec = object.path("spec");
      List<Metric> metrics =
          kind.equals("AnalysisRun")
              ? Optional.ofNullable(bind(spec, AnalysisRunSpec.class))
                  .map(r -> r.metrics)
                  .orElse(null)
              : Optional.ofNullable(bind(spec, AnalysisTemplateSpec.class))
                  .map(t -> t.metrics)
                  .orElse(null);
      return NoDataRatios.warnings(metrics).stream().map(SpecProblem::toString).toList();
    } catch (IllegalArgumentException e) {
      return List.of(); // refused, or said by problems()
    }
  }

  /** The message of a refusal: every problem, as the InvalidSpec condition would say them. */
  public static String message(String kind, List<SpecProblem> problems) {
    return "invalid "
        + kind
        + " (admission by "
        + WellKnownNames.GROUP
        + "): "
        + problems.stream().map(SpecProblem::toString).collect(Collectors.joining("; "));
  }

  private static List<SpecProblem> rollout(JsonNode object, RolloutSpec spec) {
    var problems = new ArrayList<SpecProblem>();
    JsonNode name = object.path("metadata").path("name");
    RolloutValidator.validateName(name.isTextual() ? name.asText() : null, problems);
    problems.addAll(RolloutValidator.validate(spec));
    return problems;
  }

  private static List<SpecProblem> analysisRun(AnalysisRunSpec spec) {
    var problems = new ArrayList<SpecProblem>();
    if (spec == null) {
      problems.add(new SpecProblem("spec", "is required"));
      return problems;
    }
    AnalysisRunDriver.settled(spec, problems);
    return problems;
  }

  private static <T> T bind(JsonNode spec, Class<T> type) {
    return spec.isMissingNode() || spec.isNull()
        ? null
        : Serialization.jsonMapper().convertValue(spec, type);
  }

  /** A value of the wrong shape, named by its path (the schema normally refuses it first). */
  private static SpecProblem unreadable(IllegalArgumentException e) {
    if (e.getCause() instanceof MismatchedInputException m && !m.getPath().isEmpty()) {
      var path = new StringBuilder("spec");
      for (var reference : m.getPath()) {
        if (reference.getFieldName() != null) {
          path.append('.').append(reference.getFieldName());
        } else {
          path.append('[').append(reference.getIndex()).append(']');
        }
      }
      return new SpecProblem(path.toString(), "has the wrong type");
    }
    return new SpecProblem("spec", "cannot be read: " + e.getMessage());
  }
}
