package dev.weir.cli.convert;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weir.cli.manifest.YamlDocument;
import java.util.Iterator;
import java.util.Map;

/**
 * Argo Rollouts' Rollout as Weir's. Weir took Argo's names wherever a field means the same (so that
 * migration is mechanical), so most fields are copied; what Weir does not have (other traffic
 * routers than Istio, experiments, header and mirror routes, anti-affinity...) is left out with a
 * warning that says what follows from it.
 */
final class ArgoRollout {

  private ArgoRollout() {}

  private static final String NOT_AN_ISTIO_ROUTER =
      "Weir routes traffic with Istio (VirtualService weights) only: left out, so the canary's"
          + " share of the traffic is its share of the pods";

  private static final FieldMap ANALYSIS =
      new FieldMap("an analysis")
          .list("templates", ArgoAnalysis.TEMPLATE_REF)
          .list("args", ArgoAnalysis.ARG)
          .unsupported(
              "dryRun",
              "Weir sets dryRun on a template's metric, not on a rollout's analysis: left out")
          .unsupported(
              "measurementRetention",
              "Weir sets measurementRetention on a template's metric: left out")
          .unsupported(
              "analysisRunMetadata",
              "Weir labels its AnalysisRuns itself (weir.dev/rollout, weir.dev/analysis): left"
                  + " out");

  private static final FieldMap BACKGROUND_ANALYSIS =
      ANALYSIS.copy("a background analysis").same("startingStep");

  private static final FieldMap VIRTUAL_SERVICE =
      new FieldMap("an Istio virtualService")
          .rule("name", ArgoRollout::virtualServiceName)
          .same("routes")
          .unsupported(
              "tlsRoutes", "Weir writes the weights of HTTP routes only: TLS routes are left out")
          .unsupported(
              "tcpRoutes", "Weir writes the weights of HTTP routes only: TCP routes are left out");

  private static final FieldMap ISTIO =
      new FieldMap("Istio traffic routing")
          .object("virtualService", VIRTUAL_SERVICE)
          .list("virtualServices", VIRTUAL_SERVICE)
          .object(
              "destinationRule",
              new FieldMap("an Istio destinationRule")
                  .same("name", "canarySubsetName", "stableSubsetName")
                  .unsupported(
                      "additionalSubsets",
                      "Weir pins the canary and stable subsets only: left out"));

  private static final FieldMap STEP =
      new FieldMap("a canary step")
          .same("setWeight")
          .object("pause", new FieldMap("a pause step").same("duration"))
          .object(
              "setCanaryScale",
              new FieldMap("a setCanaryScale step")
                  .same("weight", "replicas", "matchTrafficWeight"))
          .object("analysis", ANALYSIS)
          .object("setHeaderRoute", new FieldMap("a setHeaderRoute step").same("name", "match"))
          .object(
              "setMirrorRoute",
              new FieldMap("a setMirrorRoute step").same("name", "percentage", "match"));

  private static final Map<String, String> STEPS_WEIR_LACKS =
      Map.of(
          "experiment",
          "Weir runs no experiments (baseline and canary ReplicaSets judged side by side)",
          "plugin",
          "Weir has no step plugins");

  private static final FieldMap CANARY =
      new FieldMap("the canary strategy")
          .same(
              "canaryService",
              "stableService",
              "maxSurge",
              "maxUnavailable",
              "scaleDownDelaySeconds",
              "abortScaleDownDelaySeconds",
              "dynamicStableScale")
          .rule("steps", ArgoRollout::steps)
          .rule("trafficRouting", ArgoRollout::trafficRouting)
          .object("analysis", BACKGROUND_ANALYSIS)
          .unsupported(
              "canaryMetadata",
              "Weir puts metadata on the pods of each side in blue-green releases only: left out")
          .unsupported(
              "stableMetadata",
              "Weir puts metadata on the pods of each side in blue-green releases only: left out")
          .unsupported("antiAffinity", "Weir sets no anti-affinity between revisions: left out")
          .unsupported(
              "scaleDownDelayRevisionLimit",
              "a canary's old revisions each wait out scaleDownDelaySeconds in Weir: left out")
          .unsupported("minPodsPerReplicaSet", "Weir scales a canary by its weight alone: left out")
          .unsupported("pingPong", "Weir has no ping-pong Services: left out")
          .unsupported(
              "replicaProgressThreshold",
              "Weir waits for every pod a step needs to be available: left out");

  private static final FieldMap BLUE_GREEN =
      new FieldMap("the blue-green strategy")
          .same(
              "activeService",
              "previewService",
              "previewReplicaCount",
              "autoPromotionEnabled",
              "autoPromotionSeconds",
              "scaleDownDelaySeconds",
              "scaleDownDelayRevisionLimit",
              "abortScaleDownDelaySeconds",
              "activeMetadata",
              "previewMetadata")
          .object("prePromotionAnalysis", ANALYSIS)
          .object("postPromotionAnalysis", ANALYSIS)
          .unsupported("antiAffinity", "Weir sets no anti-affinity between revisions: left out")
          .unsupported(
              "maxUnavailable",
              "Weir brings the new revision to full size before the switch: left out");

  private static final FieldMap SPEC =
      new FieldMap("a Rollout's spec")
          .same(
              "replicas",
              "selector",
              "template",
              "minReadySeconds",
              "revisionHistoryLimit",
              "paused",
              "progressDeadlineSeconds",
              "progressDeadlineAbort")
          .object(
              "analysis",
              new FieldMap("a Rollout's analysis settings")
                  .same("successfulRunHistoryLimit", "unsuccessfulRunHistoryLimit"))
          .object(
              "strategy",
              new FieldMap("a Rollout's strategy")
                  .object("canary", CANARY)
                  .object("blueGreen", BLUE_GREEN))
          .unsupported(
              "restartAt",
              "Weir has no scheduled restart (kubectl weir restart restarts now): left out")
          .unsupported(
              "rollbackWindow",
              "any older revision is released through the steps in Weir (only the stable one is an"
                  + " instant rollback): left out");

  /** The Rollout, with the template of its workloadRef's Deployment when that is given. */
  static ObjectNode convert(Source src, Inputs inputs) {
    JsonNode spec = src.doc.value().path("spec");
    FieldMap map =
        SPEC.copy("a Rollout's spec")
            .rule(
                "workloadRef",
                (s, path, name, value, out) -> workload(s, path, value, inputs, out));
    ObjectNode out = map.convert(src, "spec", spec);
    if (out.path("strategy").path("canary") instanceof ObjectNode canary) {
      withoutScaleStepsWhereReplicasAreTheWeight(src, canary);
      startingStepOfTheStepsKept(src, canary);
    }
    return WeirObjects.weir(
        "Rollout", ObjectMetadata.of(src, src.doc.value().path("metadata")), out);
  }

  /** The Deployment a workloadRef names, in the files given, for the template it holds. */
  static YamlDocument workloadOf(YamlDocument rollout, Inputs inputs) {
    JsonNode ref = rollout.value().path("spec").path("workloadRef");
    if (!ref.isObject() || !ref.path("kind").asText("Deployment").equals("Deployment")) {
      return null;
    }
    return inputs.find("Deployment", rollout.namespace(), ref.path("name").asText());
  }

  private static void workload(
      Source src, String path, JsonNode ref, Inputs inputs, ObjectNode out) {
    YamlDocument deployment = workloadOf(src.doc, inputs);
    if (deployment == null) {
      src.warn(
          path,
          "Weir takes the pod template from the Rollout itself (workloadRef comes later): give the"
              + " Deployment "
              + ref.path("name").asText()
              + " with -f to have its template copied, or copy it into spec.template");
      return;
    }
    JsonNode dspec = deployment.value().path("spec");
    if (!out.has("selector") && dspec.has("selector")) {
      out.set("selector", dspec.get("selector").deepCopy());
    }
    out.set("template", dspec.path("template").deepCopy());
    src.note(
        path,
        "the pod template of Deployment "
            + deployment.name()
            + " ("
            + deployment.file()
            + ":"
            + deployment.line()
            + ") is the Rollout's own in Weir; scale the Deployment to 0 once the Rollout is"
            + " Healthy, as scaleDown did");
  }

  private static void virtualServiceName(
      Source src, String path, String name, JsonNode value, ObjectNode out) {
    out.set(name, value);
    if (value.asText().contains(".")) {
      src.warn(
          path,
          "Weir manages VirtualServices of the rollout's namespace: '"
              + value.asText()
              + "' names another namespace, which Weir does not reach");
    }
  }

  private static void trafficRouting(
      Source src, String path, String name, JsonNode value, ObjectNode out) {
    ObjectNode routing = WeirObjects.object();
    Iterator<Map.Entry<String, JsonNode>> fields = value.fields();
    while (fields.hasNext()) {
      var field = fields.next();
      String child = path + "." + field.getKey();
      switch (field.getKey()) {
        case "istio" -> routing.set("istio", ISTIO.convert(src, child, field.getValue()));
        case "managedRoutes" ->
            src.warn(
                child,
                "Weir names the routes of setHeaderRoute and setMirrorRoute steps itself and"
                    + " orders them as the steps first set them: left out");
        case "maxTrafficWeight" ->
            src.warn(child, "Weir's weights are percentages (0-100): left out");
        default -> src.warn(child, NOT_AN_ISTIO_ROUTER);
      }
    }
    if (!routing.isEmpty()) {
      out.set(name, routing);
    }
  }

  private static void steps(Source src, String path, String name, JsonNode value, ObjectNode out) {
    ArrayNode steps = WeirObjects.array();
    for (int i = 0; i < value.size(); i++) {
      JsonNode step = value.get(i);
      String lacking =
          step.isObject()
              ? STEPS_WEIR_LACKS.entrySet().stream()
                  .filter(e -> step.has(e.getKey()))
                  .map(e -> e.getKey() + ": " + e.getValue())
                  .findFirst()
                  .orElse(null)
              : null;
      if (lacking != null) {
        src.warn(path + "[" + i + "]", lacking + ": the step is left out");
      } else {
        steps.add(STEP.convert(src, path + "[" + i + "]", step));
      }
    }
    out.set(name, steps);
  }

  /**
   * Without a traffic router the canary's pods are its weight, so a step that sizes the canary
   * apart from its weight means nothing (an InvalidSpec in Weir): it goes.
   */
  /** Steps left out move the later ones up: the background analysis starts at the same step. */
  private static void startingStepOfTheStepsKept(Source src, ObjectNode canary) {
    JsonNode source = src.doc.value().path("spec").path("strategy").path("canary");
    if (!(canary.path("analysis") instanceof ObjectNode analysis)
        || !analysis.path("startingStep").isInt()) {
      return;
    }
    int starting = analysis.path("startingStep").asInt();
    int before = 0;
    for (int i = 0; i < Math.min(starting, source.path("steps").size()); i++) {
      JsonNode step = source.path("steps").get(i);
      boolean dropped =
          STEPS_WEIR_LACKS.keySet().stream().anyMatch(step::has)
              || (step.has("setCanaryScale") && !canary.has("trafficRouting"));
      before += dropped ? 1 : 0;
    }
    if (before > 0) {
      analysis.put("startingStep", starting - before);
      src.note(
          "spec.strategy.canary.analysis.startingStep",
          starting
              + " is "
              + (starting - before)
              + " once the steps left out before it are gone: the analysis starts at the same"
              + " step");
    }
  }

  private static void withoutScaleStepsWhereReplicasAreTheWeight(Source src, ObjectNode canary) {
    if (!canary.has("trafficRouting") && canary.remove("dynamicStableScale") != null) {
      src.warn(
          "spec.strategy.canary.dynamicStableScale",
          "without traffic routing the stable side already gives up the pods the canary takes:"
              + " left out");
    }
    if (canary.has("trafficRouting") || !(canary.get("steps") instanceof ArrayNode steps)) {
      return;
    }
    for (int i = steps.size() - 1; i >= 0; i--) {
      if (steps.get(i).has("setCanaryScale")) {
        steps.remove(i);
      }
    }
    JsonNode source = src.doc.value().path("spec").path("strategy").path("canary").path("steps");
    for (int i = 0; i < source.size(); i++) {
      if (source.get(i).has("setCanaryScale")) {
        src.warn(
            "spec.strategy.canary.steps[" + i + "].setCanaryScale",
            "without traffic routing the canary's pods are its weight: the step is left out");
      }
    }
  }
}
