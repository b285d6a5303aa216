package dev.weir.api.validation;

import dev.weir.api.WellKnownNames;
import dev.weir.api.v1alpha1.BlueGreenStrategy;
import dev.weir.api.v1alpha1.CanaryStep;
import dev.weir.api.v1alpha1.CanaryStrategy;
import dev.weir.api.v1alpha1.Durations;
import dev.weir.api.v1alpha1.IstioTrafficRouting;
import dev.weir.api.v1alpha1.IstioVirtualService;
import dev.weir.api.v1alpha1.RolloutAnalysis;
import dev.weir.api.v1alpha1.RolloutSpec;
import dev.weir.api.v1alpha1.SpecProblem;
import dev.weir.api.v1alpha1.TrafficRouting;
import dev.weir.api.v1alpha1.WorkloadRef;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * Checks a Rollout spec before anything acts on it. The CRD schema already rejects most of this on
 * admission; the same rules run here so that an API server without schema validation, or a schema
 * rule that spans fields, still ends in an {@code InvalidSpec} condition rather than a wrong move.
 */
public final class RolloutValidator {

  /** Canary and baseline each take this much at most, stable the rest. */
  static final int MAX_WEIGHT_WITH_BASELINE = 50;

  /** A label value's length: the rollout's name labels its AnalysisRuns. */
  public static final int MAX_NAME_LENGTH = 63;

  private static final String STEP_KINDS =
      "setWeight, pause, setCanaryScale, analysis, setHeaderRoute, setMirrorRoute";

  private RolloutValidator() {}

  /**
   * The problem of a rollout's name, if any. The spec's rules cannot see it; the webhook and the
   * reconciler check it beside them.
   */
  public static void validateName(String name, List<SpecProblem> problems) {
    if (name != null && name.length() > MAX_NAME_LENGTH) {
      problems.add(
          new SpecProblem(
              "metadata.name",
              "is "
                  + name.length()
                  + " characters long, at most "
                  + MAX_NAME_LENGTH
                  + ": it labels the rollout's AnalysisRuns ("
                  + WellKnownNames.ROLLOUT_LABEL
                  + "), and a label value holds no more"));
    }
  }

  public static List<SpecProblem> validate(RolloutSpec spec) {
    var problems = new ArrayList<SpecProblem>();
    if (spec == null) {
      problems.add(new SpecProblem("spec", "is required"));
      return problems;
    }
    nonNegative("spec.replicas", spec.replicas, problems);
    nonNegative("spec.revisionHistoryLimit", spec.revisionHistoryLimit, problems);
    nonNegative("spec.minReadySeconds", spec.minReadySeconds, problems);
    if (spec.progressDeadlineSeconds != null && spec.progressDeadlineSeconds < 1) {
      problems.add(
          new SpecProblem(
              "spec.progressDeadlineSeconds",
              "must be at least 1, was " + spec.progressDeadlineSeconds));
    }
    validateSelector(spec, problems);
    validateContainers(spec, problems);
    GitWriteBackValidator.validate(spec, problems);
    if (spec.analysis != null) {
      nonNegative(
          "spec.analysis.successfulRunHistoryLimit",
          spec.analysis.successfulRunHistoryLimit,
          problems);
      nonNegative(
          "spec.analysis.unsuccessfulRunHistoryLimit",
          spec.analysis.unsuccessfulRunHistoryLimit,
          problems);
    }
    if (spec.strategy == null
        || (spec.strategy.canary == null) == (spec.strategy.blueGreen == null)) {
      problems.add(
          new SpecProblem("spec.strategy", "exactly one of canary, blueGreen is required"));
      return problems;
    }
    if (spec.strategy.blueGreen != null) {
      validateBlueGreen(spec.strategy.blueGreen, spec, problems);
      return problems;
    }
    validateCanary(spec.strategy.canary, problems);
    return problems;
  }

  private static void validateSelector(RolloutSpec spec, List<SpecProblem> problems) {
    if ((spec.template == null) == (spec.workloadRef == null)) {
      problems.add(
          new SpecProblem(
              spec.template == null ? "spec.template" : "spec.workloadRef",
              "exactly one of template, workloadRef is required"));
      return;
    }
    if (spec.workloadRef != null) {
      validateWorkloadRef(spec.workloadRef, problems);
    }
    if (spec.selector == null
        || (empty(spec.selector.getMatchLabels())
            && (spec.selector.getMatchExpressions() == null
                || spec.selector.getMatchExpressions().isEmpty()))) {
      problems.add(new SpecProblem("spec.selector", "is required and must not be empty"));
      return;
    }
    if (spec.selector.getMatchExpressions() != null
        && !spec.selector.getMatchExpressions().isEmpty()) {
      problems.add(
          new SpecProblem("spec.selector.matchExpressions", "is not supported; use matchLabels"));
      return;
    }
    if (spec.template == null) {
      // The Deployment's template is matched against the selector once it is read.
      return;
    }
    Map<String, String> labels =
        spec.template.getMetadata() == null ? null : spec.template.getMetadata().getLabels();
    for (var field : new String[] {"spec.selector.matchLabels", "spec.template.metadata.labels"}) {
      var given = field.startsWith("spec.selector") ? spec.selector.getMatchLabels() : labels;
      if (given != null && given.containsKey(WellKnownNames.POD_TEMPLATE_HASH_LABEL)) {
        problems.add(
            new SpecProblem(
                field,
                "'"
                    + WellKnownNames.POD_TEMPLATE_HASH_LABEL
                    + "' is set by Weir for each revision; a fixed one would be overwritten"));
      }
    }
    for (var entry : spec.selector.getMatchLabels().entrySet()) {
      if (labels == null || !Objects.equals(labels.get(entry.getKey()), entry.getValue())) {
        problems.add(
            new SpecProblem(
                "spec.selector.matchLabels",
                entry.getKey()
                    + "="
                    + entry.getValue()
                    + " does not match spec.template.metadata.labels"));
      }
    }
  }

  private static void validateWorkloadRef(WorkloadRef ref, List<SpecProblem> problems) {
    if (!WorkloadRef.API_VERSION.equals(ref.apiVersion)) {
      problems.add(
          new SpecProblem(
              "spec.workloadRef.apiVersion",
              "must be " + WorkloadRef.API_VERSION + ", was " + quoted(ref.apiVersion)));
    }
    if (!WorkloadRef.KIND.equals(ref.kind)) {
      problems.add(
          new SpecProblem(
              "spec.workloadRef.kind",
              "must be " + WorkloadRef.KIND + ", was " + quoted(ref.kind)));
    }
    if (blank(ref.name)) {
      problems.add(new SpecProblem("spec.workloadRef.name", "is required"));
    }
  }

  private static String quoted(String value) {
    return value == null ? "nothing" : "'" + value + "'";
  }

  /**
   * What the API server would refuse when the revision's ReplicaSet is created, caught before:
   * containers present, each named once and with an image.
   */
  private static void validateContainers(RolloutSpec spec, List<SpecProblem> problems) {
    if (spec.template == null) {
      return;
    }
    String field = "spec.template.spec.containers";
    var containers =
        spec.template.getSpec() == null ? null : spec.template.getSpec().getContainers();
    if (containers == null || containers.isEmpty()) {
      problems.add(new SpecProblem(field, "at least one container is required"));
      return;
    }
    var names = new HashSet<String>();
    for (int i = 0; i < containers.size(); i++) {
      var container = containers.get(i);
      String at = field + "[" + i + "]";
      if (blank(container.getName())) {
        problems.add(new SpecProblem(at + ".name", "is required"));
      } else if (!names.add(container.getName())) {
        problems.add(new SpecProblem(at + ".name", "'" + container.getName() + "' is used twice"));
      }
      if (blank(container.getImage())) {
        problems.add(new SpecProblem(at + ".image", "is required"));
      }
    }
  }

  private static void validateCanary(CanaryStrategy canary, List<SpecProblem> problems) {
    String field = "spec.strategy.canary";
    nonNegative(field + ".scaleDownDelaySeconds", canary.scaleDownDelaySeconds, problems);
    nonNegative(field + ".abortScaleDownDelaySeconds", canary.abortScaleDownDelaySeconds, problems);
    validateSurge(canary, problems);
    if (canary.analysis != null) {
      validateAnalysis(field + ".analysis", canary.analysis, problems);
      nonNegative(field + ".analysis.startingStep", canary.analysis.startingStep, problems);
      int steps = canary.steps == null ? 0 : canary.steps.size();
      if (canary.analysis.startingStep != null && canary.analysis.startingStep > steps) {
        problems.add(
            new SpecProblem(
                field + ".analysis.startingStep",
                canary.analysis.startingStep + " is past the last step (" + steps + " steps)"));
      }
    }
    if (canary.steps != null && canary.steps.size() > CanaryStrategy.MAX_STEPS) {
      // One problem, not one per step: the message must stay readable.
      problems.add(
          new SpecProblem(
              field + ".steps",
              canary.steps.size() + " steps, at most " + CanaryStrategy.MAX_STEPS));
    } else if (canary.steps != null) {
      for (int i = 0; i < canary.steps.size(); i++) {
        String step = field + ".steps[" + i + "]";
        CanaryStep each = canary.steps.get(i);
        validateStep(step, each, problems);
        if (each != null && each.setCanaryScale != null && canary.trafficRouting == null) {
          // Without a mesh the canary's pods are its traffic: a scale apart from the weight
          // would silently change the weight.
          problems.add(
              new SpecProblem(
                  step + ".setCanaryScale",
                  "requires trafficRouting: without a mesh the replicas are the weight"));
        }
      }
    }
    baseline(field, canary, problems);
    if (canary.steps != null && canary.steps.size() <= CanaryStrategy.MAX_STEPS) {
      NamedRouteSteps.validate(field + ".steps", canary.steps, canary.trafficRouting, problems);
    }
    if (canary.trafficRouting == null) {
      if (Boolean.TRUE.equals(canary.dynamicStableScale)) {
        // Without a mesh the sides' pods are the weight: stable already gives up what the canary
        // takes.
        problems.add(
            new SpecProblem(
                field + ".dynamicStableScale",
                "requires trafficRouting: without a mesh the stable side already shrinks as the"
                    + " canary grows"));
      }
      return;
    }
    if (!oneRouter(field + ".trafficRouting", canary.trafficRouting, problems)) {
      return;
    }
    var gatewayApi = canary.trafficRouting.gatewayAPI;
    if (gatewayApi != null) {
      GatewayApiRoutes.validate(field + ".trafficRouting.gatewayAPI", gatewayApi, problems);
      requireService(field + ".stableService", canary.stableService, "Gateway API", problems);
      requireService(field + ".canaryService", canary.canaryService, "Gateway API", problems);
      if (!blank(canary.stableService) && canary.stableService.equals(canary.canaryService)) {
        problems.add(new SpecProblem(field + ".canaryService", "must differ from stableService"));
      }
      return;
    }
    var istio = canary.trafficRouting.istio;
    String routing = field + ".trafficRouting.istio";
    if (istio.virtualService == null
        && (istio.virtualServices == null || istio.virtualServices.isEmpty())) {
      problems.add(
          new SpecProblem(routing, "one of virtualService or virtualServices is required"));
    }
    if (istio.virtualService != null && istio.virtualServices != null) {
      problems.add(
          new SpecProblem(routing, "set either virtualService or virtualServices, not both"));
    } else {
      validateRoutesOnce(routing, istio, problems);
    }
    if (istio.destinationRule == null) {
      if (blank(canary.stableService)) {
        problems.add(
            new SpecProblem(field + ".stableService", "is required with host-level Istio routing"));
      }
      if (blank(canary.canaryService)) {
        problems.add(
            new SpecProblem(field + ".canaryService", "is required with host-level Istio routing"));
      }
    } else if (Objects.equals(
        istio.destinationRule.stableSubsetName, istio.destinationRule.canarySubsetName)) {
      problems.add(
          new SpecProblem(
              routing + ".destinationRule.canarySubsetName", "must differ from stableSubsetName"));
    }
    if (!blank(canary.stableService) && canary.stableService.equals(canary.canaryService)) {
      problems.add(new SpecProblem(field + ".canaryService", "must differ from stableService"));
    }
  }

  /**
   * A baseline takes as much traffic as the canary, through a third destination of the
   * VirtualService routes: host-level Istio routing, and room for both sides beside stable.
   */
  private static void baseline(String field, CanaryStrategy canary, List<SpecProblem> problems) {
    if (canary.baselineService == null) {
      return;
    }
    String at = field + ".baselineService";
    var istio = canary.trafficRouting == null ? null : canary.trafficRouting.istio;
    if (blank(canary.baselineService)) {
      problems.add(new SpecProblem(at, "must name a Service"));
    } else if (istio == null || istio.destinationRule != null) {
      problems.add(
          new SpecProblem(
              at,
              "requires host-level Istio routing (trafficRouting.istio without destinationRule):"
                  + " the baseline's weight is written on VirtualService routes"));
    } else if (canary.baselineService.equals(canary.stableService)
        || canary.baselineService.equals(canary.canaryService)) {
      problems.add(new SpecProblem(at, "must differ from stableService and canaryService"));
    }
    if (canary.steps == null) {
      return;
    }
    for (int i = 0; i < canary.steps.size(); i++) {
      CanaryStep step = canary.steps.get(i);
      if (step != null && step.setWeight != null && step.setWeight > MAX_WEIGHT_WITH_BASELINE) {
        problems.add(
            new SpecProblem(
                field + ".steps[" + i + "].setWeight",
                step.setWeight
                    + " is more than "
                    + MAX_WEIGHT_WITH_BASELINE
                    + ": with baselineService the baseline takes as much again"));
      }
    }
  }

  /** Exactly one router names the routes; false when the spec names none or both. */
  private static boolean oneRouter(
      String field, TrafficRouting routing, List<SpecProblem> problems) {
    if (routing.istio == null && routing.gatewayAPI == null) {
      problems.add(new SpecProblem(field, "one of istio or gatewayAPI is required"));
      return false;
    }
    if (routing.istio != null && routing.gatewayAPI != null) {
      problems.add(new SpecProblem(field, "set either istio or gatewayAPI, not both"));
      return false;
    }
    return true;
  }

  private static void requireService(
      String field, String service, String router, List<SpecProblem> problems) {
    if (blank(service)) {
      problems.add(new SpecProblem(field, "is required with " + router + " traffic routing"));
    }
  }

  /** Each route written once per step: no route of one VirtualService named twice. */
  private static void validateRoutesOnce(
      String field, IstioTrafficRouting istio, List<SpecProblem> problems) {
    var references = new ArrayList<Map.Entry<String, IstioVirtualService>>();
    if (istio.virtualService != null) {
      references.add(Map.entry(field + ".virtualService", istio.virtualService));
    }
    for (int i = 0; istio.virtualServices != null && i < istio.virtualServices.size(); i++) {
      references.add(
          Map.entry(field + ".virtualServices[" + i + "]", istio.virtualServices.get(i)));
    }
    var seen = new HashSet<String>();
    for (var reference : references) {
      var vs = reference.getValue();
      if (vs.routes == null || vs.routes.isEmpty()) {
        // Its only route, whichever it is.
        if (!seen.add(vs.name + "/")) {
          problems.add(
              new SpecProblem(
                  reference.getKey() + ".name", "VirtualService '" + vs.name + "' is named twice"));
        }
        continue;
      }
      for (int i = 0; i < vs.routes.size(); i++) {
        if (!seen.add(vs.name + "/" + vs.routes.get(i))) {
          problems.add(
              new SpecProblem(
                  reference.getKey() + ".routes[" + i + "]",
                  "route '"
                      + vs.routes.get(i)
                      + "' of VirtualService '"
                      + vs.name
                      + "' is named twice"));
        }
      }
    }
  }

  private static void validateSurge(CanaryStrategy canary, List<SpecProblem> problems) {
    String field = "spec.strategy.canary.";
    Integer surge = checkIntOrPercent(field + "maxSurge", canary.maxSurge, problems);
    Integer unavailable =
        checkIntOrPercent(field + "maxUnavailable", canary.maxUnavailable, problems);
    if (unavailable != null && unavailable > 100 && canary.maxUnavailable.getStrVal() != null) {
      problems.add(
          new SpecProblem(
              field + "maxUnavailable",
              "'" + canary.maxUnavailable.getStrVal() + "' is more than all of the pods (100%)"));
    }
    if (Integer.valueOf(0).equals(surge) && Integer.valueOf(0).equals(unavailable)) {
      problems.add(new SpecProblem(field + "maxUnavailable", "cannot be 0 when maxSurge is 0"));
    }
  }

  /** Returns the number or percentage given, or null when unset or invalid. */
  private static Integer checkIntOrPercent(
      String field, IntOrString value, List<SpecProblem> problems) {
    if (value == null) {
      return null;
    }
    if (value.getIntVal() != null) {
      if (value.getIntVal() < 0) {
        problems.add(new SpecProblem(field, "must not be negative"));
        return null;
      }
      return value.getIntVal();
    }
    String text = value.getStrVal();
    if (text == null || !text.matches("\\d+%")) {
      problems.add(new SpecProblem(field, "'" + text + "' is neither a number nor a percentage"));
      return null;
    }
    return Integer.parseInt(text.substring(0, text.length() - 1));
  }

  private static void validateStep(String field, CanaryStep step, List<SpecProblem> problems) {
    if (step == null) {
      problems.add(new SpecProblem(field, "is empty: one of " + STEP_KINDS + " must be set"));
      return;
    }
    long set =
        Stream.of(
                step.setWeight,
                step.pause,
                step.setCanaryScale,
                step.analysis,
                step.setHeaderRoute,
                step.setMirrorRoute)
            .filter(Objects::nonNull)
            .count();
    if (set != 1) {
      problems.add(new SpecProblem(field, "exactly one of " + STEP_KINDS + " must be set"));
      return;
    }
    if (step.analysis != null) {
      validateAnalysis(field + ".analysis", step.analysis, problems);
    }
    if (step.setWeight != null) {
      percent(field + ".setWeight", step.setWeight, problems);
    }
    if (step.pause != null && step.pause.duration != null) {
      try {
        Durations.parse(step.pause.duration);
      } catch (IllegalArgumentException e) {
        problems.add(new SpecProblem(field + ".pause.duration", e.getMessage()));
      }
    }
    if (step.setCanaryScale != null) {
      var scale = step.setCanaryScale;
      long given =
          Stream.of(
                  scale.weight,
                  scale.replicas,
                  Boolean.TRUE.equals(scale.matchTrafficWeight) ? true : null)
              .filter(Objects::nonNull)
              .count();
      if (given != 1) {
        problems.add(
            new SpecProblem(
                field + ".setCanaryScale",
                "exactly one of weight, replicas, matchTrafficWeight: true must be set"));
      }
      if (scale.weight != null) {
        percent(field + ".setCanaryScale.weight", scale.weight, problems);
      }
      nonNegative(field + ".setCanaryScale.replicas", scale.replicas, problems);
    }
  }

  private static void validateBlueGreen(
      BlueGreenStrategy blueGreen, RolloutSpec spec, List<SpecProblem> problems) {
    String field = "spec.strategy.blueGreen";
    if (blank(blueGreen.activeService)) {
      problems.add(new SpecProblem(field + ".activeService", "is required"));
    } else if (blueGreen.activeService.equals(blueGreen.previewService)) {
      problems.add(new SpecProblem(field + ".previewService", "must differ from activeService"));
    }
    int replicas = spec.replicas == null ? 1 : spec.replicas;
    if (blueGreen.previewReplicaCount != null
        && (blueGreen.previewReplicaCount < 1 || blueGreen.previewReplicaCount > replicas)) {
      problems.add(
          new SpecProblem(
              field + ".previewReplicaCount",
              blueGreen.previewReplicaCount + " is out of range 1.." + replicas + " (replicas)"));
    }
    nonNegative(field + ".autoPromotionSeconds", blueGreen.autoPromotionSeconds, problems);
    nonNegative(field + ".scaleDownDelaySeconds", blueGreen.scaleDownDelaySeconds, problems);
    nonNegative(
        field + ".scaleDownDelayRevisionLimit", blueGreen.scaleDownDelayRevisionLimit, problems);
    nonNegative(
        field + ".abortScaleDownDelaySeconds", blueGreen.abortScaleDownDelaySeconds, problems);
    if (blueGreen.prePromotionAnalysis != null) {
      validateAnalysis(field + ".prePromotionAnalysis", blueGreen.prePromotionAnalysis, problems);
    }
    if (blueGreen.postPromotionAnalysis != null) {
      validateAnalysis(field + ".postPromotionAnalysis", blueGreen.postPromotionAnalysis, problems);
    }
    for (var side : new String[] {"activeMetadata", "previewMetadata"}) {
      var metadata =
          side.equals("activeMetadata") ? blueGreen.activeMetadata : blueGreen.previewMetadata;
      if (metadata == null || metadata.labels == null) {
        continue;
      }
      for (String key : metadata.labels.keySet()) {
        boolean selects =
            spec.selector != null
                && spec.selector.getMatchLabels() != null
                && spec.selector.getMatchLabels().containsKey(key);
        if (selects || key.equals(WellKnownNames.POD_TEMPLATE_HASH_LABEL)) {
          problems.add(
              new SpecProblem(
                  field + "." + side + ".labels",
                  "'" + key + "' is a label the selectors use; it cannot differ by side"));
        }
      }
    }
    var routing = blueGreen.trafficRouting;
    if (routing == null) {
      return;
    }
    if (!oneRouter(field + ".trafficRouting", routing, problems)) {
      return;
    }
    if (routing.gatewayAPI != null) {
      GatewayApiRoutes.validate(field + ".trafficRouting.gatewayAPI", routing.gatewayAPI, problems);
      requireService(field + ".previewService", blueGreen.previewService, "Gateway API", problems);
      return;
    }
    var istio = routing.istio;
    String at = field + ".trafficRouting.istio";
    if (istio.virtualService == null
        && (istio.virtualServices == null || istio.virtualServices.isEmpty())) {
      problems.add(new SpecProblem(at, "one of virtualService or virtualServices is required"));
    }
    validateRoutesOnce(at, istio, problems);
    if (istio.destinationRule != null) {
      problems.add(
          new SpecProblem(
              at + ".destinationRule",
              "is not supported with blueGreen: route to the active and preview Services"));
    }
    if (blank(blueGreen.previewService)) {
      problems.add(
          new SpecProblem(field + ".previewService", "is required with Istio traffic routing"));
    }
  }

  /** The shape of an analysis; what its templates say is checked once they are read. */
  static void validateAnalysis(String field, RolloutAnalysis analysis, List<SpecProblem> problems) {
    boolean templates = analysis.templates != null && !analysis.templates.isEmpty();
    boolean metrics = analysis.metrics != null && !analysis.metrics.isEmpty();
    if (!templates && !metrics) {
      problems.add(
          new SpecProblem(field + ".templates", "at least one template or metric is required"));
    }
    if (templates) {
      for (int i = 0; i < analysis.templates.size(); i++) {
        var template = analysis.templates.get(i);
        if (template == null || blank(template.templateName)) {
          problems.add(
              new SpecProblem(field + ".templates[" + i + "].templateName", "is required"));
        }
      }
    }
    if (metrics) {
      if (analysis.metrics.stream().anyMatch(Objects::isNull)) {
        problems.add(new SpecProblem(field + ".metrics", "has an empty entry"));
      } else {
        // Checked as a template's are, on a copy: the args' values filled in where given.
        var copy = Serialization.clone(analysis).metrics;
        AnalysisTemplateValidator.checkMetricsWithCheckedArgs(
            copy, analysis.args, true, i -> field + ".metrics[" + i + "]", problems);
      }
    }
    if (analysis.args != null) {
      AnalysisArguments.validate(field + ".args", analysis.args, problems);
    }
  }

  private static void percent(String field, int value, List<SpecProblem> problems) {
    if (value < 0 || value > 100) {
      problems.add(new SpecProblem(field, value + " is out of range 0..100"));
    }
  }

  private static void nonNegative(String field, Integer value, List<SpecProblem> problems) {
    if (value != null && value < 0) {
      problems.add(new SpecProblem(field, "must not be negative, was " + value));
    }
  }

  private static boolean blank(String s) {
    return s == null || s.isBlank();
  }

  private static boolean empty(Map<?, ?> map) {
    return map == null || map.isEmpty();
  }
}
