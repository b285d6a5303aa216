package dev.weir.cli.convert;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weir.api.WellKnownNames;
import dev.weir.cli.manifest.YamlDocument;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A Flagger Canary, with its Deployment and HPA, as the objects Weir needs declared: the Rollout
 * (the Deployment's pod template, the Canary's analysis as steps), the Services and Istio objects
 * Flagger would have generated, and an AnalysisTemplate with the Canary's metrics.
 *
 * <p>Flagger's analysis is a loop: every {@code interval} it checks the metrics; while they pass,
 * the canary's weight grows by {@code stepWeight} up to {@code maxWeight} (or along {@code
 * stepWeights}) and then it is promoted; each failed check is counted, and at {@code threshold} the
 * canary is rolled back. Weir's steps say the same in order: each weight is a {@code setWeight}
 * step, a {@code pause} of one interval, and an {@code analysis} step whose metrics are measured
 * every interval until one passes ({@code consecutiveSuccessLimit: 1}) and fail at the {@code
 * threshold}-th failed measurement ({@code failureLimit}); no data is a failed check, as in
 * Flagger. With {@code iterations} (blue-green) the new revision is previewed and judged by {@code
 * prePromotionAnalysis} until {@code iterations} checks passed in a row.
 *
 * <p>Names: the Rollout is named after the Deployment; the apex Service ({@code service.name},
 * default the Deployment's name) is the stable Service, which Weir keeps on the stable revision as
 * Flagger kept it on the primary; {@code <service>-canary} is the canary Service; the
 * VirtualService is named after the apex, as Flagger names it.
 */
final class FlaggerCanary {

  static final String GROUP = "flagger.app";
  private static final String DEFAULT_INTERVAL = "1m";

  private static final Set<String> SPEC_FIELDS =
      Set.of(
          "targetRef",
          "autoscalerRef",
          "service",
          "analysis",
          "canaryAnalysis",
          "progressDeadlineSeconds",
          "skipAnalysis",
          "provider",
          "metricsServer");

  private static final Set<String> SERVICE_FIELDS =
      Set.of(
          "name",
          "port",
          "portName",
          "targetPort",
          "appProtocol",
          "gateways",
          "hosts",
          "match",
          "rewrite",
          "retries",
          "timeout",
          "headers",
          "corsPolicy",
          "trafficPolicy",
          "apex",
          "primary",
          "canary",
          "headless",
          "trafficDistribution");

  /** The analysis fields this class turns into steps and templates. */
  private static final Set<String> ANALYSIS_FIELDS =
      Set.of(
          "interval",
          "threshold",
          "maxWeight",
          "stepWeight",
          "stepWeights",
          "iterations",
          "metrics",
          "webhooks");

  private static final Map<String, String> ANALYSIS_WEIR_LACKS =
      Map.of(
          "stepWeightPromotion",
          "Weir promotes in one move, traffic first: left out",
          "match",
          "Weir has no header routes yet (A/B testing): the release is converted as blue-green,"
              + " its preview judged without user traffic",
          "mirror",
          "Weir has no traffic mirroring yet: left out",
          "mirrorWeight",
          "Weir has no traffic mirroring yet: left out",
          "alerts",
          "convert does not carry Flagger's alerts over: left out",
          "sessionAffinity",
          "Weir has no session affinity routes: left out",
          "primaryReadyThreshold",
          "Weir waits for all the stable pods: left out",
          "canaryReadyThreshold",
          "Weir waits for all the canary pods a step needs: left out");

  private final Source src;
  private final Inputs inputs;
  private final JsonNode spec;
  private final JsonNode analysis;
  private final String analysisPath;
  private final String namespace;
  private final String target;
  private final String service;
  private final String canaryService;
  private final String provider;
  private final String interval;
  private final int threshold;
  private final List<Converted> out = new ArrayList<>();

  private FlaggerCanary(Source src, Inputs inputs) {
    this.src = src;
    this.inputs = inputs;
    this.spec = src.doc.value().path("spec");
    this.analysisPath =
        spec.has("analysis") || !spec.has("canaryAnalysis")
            ? "spec.analysis"
            : "spec.canaryAnalysis";
    this.analysis = spec.path(analysisPath.substring("spec.".length()));
    this.namespace = src.doc.hasNamespace() ? src.doc.namespace() : null;
    this.target = spec.path("targetRef").path("name").asText(src.doc.name());
    this.service = spec.path("service").path("name").asText(target);
    this.canaryService = service + "-canary";
    this.provider = spec.path("provider").asText("istio");
    this.interval = analysis.path("interval").asText(DEFAULT_INTERVAL);
    this.threshold = Math.max(1, analysis.path("threshold").asInt(1));
  }

  /** Flagger skips the analysis when asked to, or when there is none. */
  private boolean skipsAnalysis() {
    return spec.path("skipAnalysis").asBoolean(false) || analysis.isMissingNode();
  }

  /** The Deployment, HPA and MetricTemplates a Canary names, among the files given. */
  static List<YamlDocument> parts(YamlDocument canary, Inputs inputs) {
    JsonNode spec = canary.value().path("spec");
    var parts = new ArrayList<YamlDocument>();
    JsonNode analysis = spec.has("analysis") ? spec.path("analysis") : spec.path("canaryAnalysis");
    for (JsonNode metric : analysis.path("metrics")) {
      JsonNode ref = metric.path("templateRef");
      var template =
          inputs.find(
              "MetricTemplate",
              ref.path("namespace").asText(canary.namespace()),
              ref.path("name").asText());
      if (template != null) {
        parts.add(template);
      }
    }
    var deployment =
        inputs.find("Deployment", canary.namespace(), spec.path("targetRef").path("name").asText());
    if (deployment != null) {
      parts.add(deployment);
    }
    var hpa =
        inputs.find(
            "HorizontalPodAutoscaler",
            canary.namespace(),
            spec.path("autoscalerRef").path("name").asText());
    if (hpa != null) {
      parts.add(hpa);
    }
    return parts;
  }

  static List<Converted> convert(Source src, Inputs inputs) {
    var canary = new FlaggerCanary(src, inputs);
    canary.convert();
    return canary.out;
  }

  private void convert() {
    spec.fieldNames()
        .forEachRemaining(
            field -> {
              if (!SPEC_FIELDS.contains(field)) {
                src.warn("spec." + field, unsupportedSpecField(field));
              }
            });
    if (!spec.path("targetRef").path("kind").asText("Deployment").equals("Deployment")) {
      src.warn(
          "spec.targetRef.kind",
          "Weir's Rollout replaces a Deployment; a "
              + spec.path("targetRef").path("kind").asText()
              + " does not carry over: nothing is converted");
      return;
    }
    boolean istio = provider.equals("istio");
    if (!spec.has("provider")) {
      src.note(
          "spec",
          "no provider: taken to be Istio, Flagger's default mesh (its -mesh-provider flag)");
    } else if (!istio && !provider.equals("kubernetes")) {
      src.warn(
          "spec.provider",
          "Weir routes traffic with Istio (VirtualService weights) only: without it the canary's"
              + " share of the traffic is its share of the pods");
    }
    services();
    if (istio) {
      destinationRules();
      virtualService();
    }
    boolean blueGreen =
        analysis.has("iterations") || analysis.has("match") || provider.equals("kubernetes");
    ObjectNode template = analysisTemplate(blueGreen);
    rollout(istio, blueGreen, template != null);
  }

  private static String unsupportedSpecField(String field) {
    return switch (field) {
      case "suspend" ->
          "Weir has no suspend; spec.paused holds a release before its next step: left out";
      case "revertOnDeletion" ->
          "Weir does not revert the Services when a Rollout is deleted: left out";
      case "ingressRef", "upstreamRef", "routeRef" ->
          "Weir routes traffic with Istio (VirtualService weights) only: left out";
      default -> "not a field of a Canary that convert knows: left out";
    };
  }

  // ---- Services, DestinationRules, VirtualService: what Flagger generated, declared

  private JsonNode selector(YamlDocument deployment) {
    if (deployment == null) {
      ObjectNode fallback = WeirObjects.object();
      fallback.put("app", target);
      return fallback;
    }
    JsonNode labels = deployment.value().path("spec").path("selector").path("matchLabels");
    return labels.isObject()
        ? labels.deepCopy()
        : deployment
            .value()
            .path("spec")
            .path("template")
            .path("metadata")
            .path("labels")
            .deepCopy();
  }

  private void services() {
    JsonNode svc = spec.path("service");
    svc.fieldNames()
        .forEachRemaining(
            field -> {
              if (!SERVICE_FIELDS.contains(field)) {
                src.warn(
                    "spec.service." + field,
                    field.equals("portDiscovery")
                        ? "the Services carry service.port only: add the other ports by hand"
                        : field.equals("delegation")
                            ? "Weir manages a VirtualService of its own, not a delegate: left out"
                            : "not a field of a Canary's service that convert knows: left out");
              }
            });
    var deployment = deployment();
    out.add(
        service(
            service,
            svc,
            deployment,
            "apex",
            "the stable Service: Weir keeps it on the stable revision, as Flagger kept it on the primary"));
    out.add(service(canaryService, svc, deployment, "canary", "the canary Service"));
    if (svc.has("primary")) {
      src.note(
          "spec.service.primary",
          "Flagger's "
              + service
              + "-primary is the apex "
              + service
              + " in Weir: its metadata goes there");
    }
  }

  private Converted service(
      String name, JsonNode svc, YamlDocument deployment, String side, String what) {
    ObjectNode metadata = WeirObjects.metadata(name, namespace);
    metadata(metadata, svc.path(side));
    if (side.equals("apex")) {
      metadata(metadata, svc.path("primary"));
    }
    ObjectNode serviceSpec = WeirObjects.object();
    if (svc.path("headless").asBoolean(false)) {
      serviceSpec.put("clusterIP", "None");
    }
    serviceSpec.set("selector", selector(deployment));
    ObjectNode port = WeirObjects.object();
    port.put("name", svc.path("portName").asText("http"));
    port.put("port", svc.path("port").asInt());
    port.set(
        "targetPort",
        svc.has("targetPort") ? svc.get("targetPort").deepCopy() : svc.path("port").deepCopy());
    port.put("protocol", "TCP");
    if (svc.has("appProtocol")) {
      port.set("appProtocol", svc.get("appProtocol").deepCopy());
    }
    serviceSpec.set("ports", WeirObjects.array().add(port));
    if (svc.has("trafficDistribution")) {
      serviceSpec.set("trafficDistribution", svc.get("trafficDistribution").deepCopy());
    }
    return declared(": " + what + ".", WeirObjects.object("v1", "Service", metadata, serviceSpec));
  }

  private static void metadata(ObjectNode metadata, JsonNode custom) {
    for (String field : List.of("labels", "annotations")) {
      if (custom.path(field).isObject()) {
        ObjectNode into =
            metadata.has(field) ? (ObjectNode) metadata.get(field) : metadata.putObject(field);
        into.setAll((ObjectNode) custom.get(field).deepCopy());
      }
    }
  }

  private void destinationRules() {
    JsonNode policy = spec.path("service").path("trafficPolicy");
    if (!policy.isObject()) {
      return;
    }
    for (String host : List.of(service, canaryService)) {
      ObjectNode drSpec = WeirObjects.object();
      drSpec.put("host", host);
      drSpec.set("trafficPolicy", policy.deepCopy());
      out.add(
          declared(
              ": service.trafficPolicy.",
              WeirObjects.object(
                  "networking.istio.io/v1beta1",
                  "DestinationRule",
                  WeirObjects.metadata(host, namespace),
                  drSpec)));
    }
  }

  private void virtualService() {
    JsonNode svc = spec.path("service");
    if ("tcp".equalsIgnoreCase(svc.path("appProtocol").asText())) {
      src.warn(
          "spec.service.appProtocol",
          "Weir writes the weights of HTTP routes only: a TCP route is not released by weights");
    }
    ObjectNode metadata = WeirObjects.metadata(service, namespace);
    if (svc.path("apex").path("annotations").isObject()) {
      metadata.set("annotations", svc.path("apex").path("annotations").deepCopy());
    }
    ArrayNode hosts = WeirObjects.array();
    svc.path("hosts").forEach(h -> hosts.add(h.asText()));
    boolean hasApex = false;
    for (JsonNode h : hosts) {
      hasApex |= h.asText().equals(service) || h.asText().equals("*");
    }
    if (!hasApex) {
      hosts.add(service);
    }
    ArrayNode gateways = WeirObjects.array();
    svc.path("gateways").forEach(g -> gateways.add(g.asText()));
    if (gateways.isEmpty()) {
      gateways.add("mesh");
    }
    ObjectNode route = WeirObjects.object();
    route.put("name", "primary");
    for (String field :
        List.of("match", "rewrite", "timeout", "retries", "corsPolicy", "headers")) {
      if (svc.has(field)) {
        route.set(field, svc.get(field).deepCopy());
      }
    }
    ArrayNode destinations = route.putArray("route");
    destinations.add(destination(service, 100));
    destinations.add(destination(canaryService, 0));
    ObjectNode vsSpec = WeirObjects.object();
    vsSpec.set("hosts", hosts);
    vsSpec.set("gateways", gateways);
    vsSpec.set("http", WeirObjects.array().add(route));
    out.add(
        declared(
            ": the route whose weights Weir writes, as Flagger generated it.",
            WeirObjects.object("networking.istio.io/v1beta1", "VirtualService", metadata, vsSpec)));
  }

  /** An object this conversion declares, with the comment that says where it came from. */
  private Converted declared(String what, ObjectNode object) {
    return new Converted(
        List.of("From " + src.describe() + " (" + src.where() + ")" + what), object);
  }

  private static ObjectNode destination(String host, int weight) {
    ObjectNode destination = WeirObjects.object();
    destination.putObject("destination").put("host", host);
    destination.put("weight", weight);
    return destination;
  }

  // ---- the analysis: an AnalysisTemplate, and steps

  private ObjectNode analysisTemplate(boolean blueGreen) {
    analysis
        .fieldNames()
        .forEachRemaining(
            field -> {
              String why = ANALYSIS_WEIR_LACKS.get(field);
              if (why != null) {
                src.warn(analysisPath + "." + field, why);
              } else if (!ANALYSIS_FIELDS.contains(field)) {
                src.warn(
                    analysisPath + "." + field,
                    "not a field of a Canary's analysis that convert knows: left out");
              }
            });
    webhooks(blueGreen);
    if (skipsAnalysis()) {
      return null;
    }
    var metrics =
        new FlaggerMetrics(src, inputs, analysisPath, service, canaryService, provider, interval)
            .metrics(
                blueGreen ? Math.max(1, analysis.path("iterations").asInt(1)) : 1,
                threshold,
                blueGreen);
    if (metrics.metrics().isEmpty()) {
      return null;
    }
    ObjectNode templateSpec = WeirObjects.object();
    templateSpec.set("args", metrics.args());
    templateSpec.set("metrics", metrics.metrics());
    ObjectNode template =
        WeirObjects.weir(
            "AnalysisTemplate", WeirObjects.metadata(src.doc.name(), namespace), templateSpec);
    out.add(
        declared(
            ": the metrics of its analysis, each measured every "
                + interval
                + "; no data is a failed check, as in Flagger.",
            template));
    return template;
  }

  private void webhooks(boolean blueGreen) {
    JsonNode hooks = analysis.path("webhooks");
    for (int i = 0; i < hooks.size(); i++) {
      JsonNode hook = hooks.get(i);
      String type = hook.path("type").asText("rollout");
      String path = analysisPath + ".webhooks[" + i + "]";
      switch (type) {
        case "confirm-rollout", "confirm-traffic-increase", "confirm-promotion" -> {
          if (blueGreen && !type.equals("confirm-promotion")) {
            src.warn(
                path,
                "a blue-green release in Weir has no gate before its preview: the "
                    + type
                    + " hook '"
                    + hook.path("name").asText()
                    + "' is left out");
          } else {
            src.note(
                path,
                type
                    + (blueGreen
                        ? " became autoPromotionEnabled: false, a wait for kubectl weir promote"
                        : " became a pause step that waits for kubectl weir promote")
                    + ": Weir calls no webhook, so the gate is opened by whatever called it, or a"
                    + " human");
          }
        }
        default ->
            src.warn(
                path,
                "Weir calls no webhooks: the "
                    + type
                    + " hook '"
                    + hook.path("name").asText()
                    + "' is left out; run it beside the release (a Job, the CI pipeline)"
                    + (type.equals("rollout")
                        ? ", and mind that a canary without traffic fails its checks (no data)"
                        : ""));
      }
    }
  }

  private boolean hasHook(String type) {
    for (JsonNode hook : analysis.path("webhooks")) {
      if (hook.path("type").asText("rollout").equals(type)) {
        return true;
      }
    }
    return false;
  }

  /**
   * Flagger's weights: stepWeights, or stepWeight until maxWeight is reached (the last may pass
   * it).
   */
  private List<Integer> weights() {
    var weights = new ArrayList<Integer>();
    if (analysis.path("stepWeights").isArray() && !analysis.path("stepWeights").isEmpty()) {
      analysis.path("stepWeights").forEach(w -> weights.add(Math.min(100, w.asInt())));
      return weights;
    }
    int step = analysis.path("stepWeight").asInt(0);
    int max = analysis.path("maxWeight").asInt(100);
    if (step <= 0) {
      src.warn(analysisPath, "no stepWeight, stepWeights or iterations: one step to " + max + "%");
      weights.add(Math.min(100, max));
      return weights;
    }
    for (int w = step; ; w += step) {
      weights.add(Math.min(100, w));
      if (w >= max || w >= 100) {
        return weights;
      }
    }
  }

  // ---- the Rollout

  private YamlDocument deployment() {
    return inputs.find("Deployment", src.doc.namespace(), target);
  }

  private void rollout(boolean istio, boolean blueGreen, boolean analysed) {
    var deployment = deployment();
    var comments = new ArrayList<String>();
    ObjectNode metadata = WeirObjects.metadata(target, namespace);
    ObjectNode rolloutSpec = WeirObjects.object();
    if (deployment == null) {
      src.warn(
          "spec.targetRef",
          "Deployment "
              + target
              + " is not among the files given: the Rollout has no pod template; give it with -f");
      comments.add("From " + src.describe() + " (" + src.where() + ").");
    } else {
      comments.add(
          "From "
              + src.describe()
              + " ("
              + src.where()
              + "), with the pod template of Deployment "
              + deployment.name()
              + " ("
              + deployment.file()
              + ":"
              + deployment.line()
              + ").");
      deploymentFields(deployment, metadata, rolloutSpec);
    }
    Converted autoscaler = hpa(rolloutSpec);
    if (spec.has("progressDeadlineSeconds")) {
      rolloutSpec.set("progressDeadlineSeconds", spec.get("progressDeadlineSeconds").deepCopy());
    }
    // Flagger rolls a canary back when it stops making progress.
    rolloutSpec.put("progressDeadlineAbort", true);
    ObjectNode strategy = rolloutSpec.putObject("strategy");
    if (blueGreen) {
      strategy.set("blueGreen", blueGreen(istio, analysed, comments));
    } else {
      strategy.set("canary", canary(istio, analysed, comments));
    }
    out.add(new Converted(comments, WeirObjects.weir("Rollout", metadata, ordered(rolloutSpec))));
    if (autoscaler != null) {
      out.add(autoscaler);
    }
  }

  /** The spec's fields in the order Weir's docs write them. */
  private static ObjectNode ordered(ObjectNode spec) {
    ObjectNode ordered = WeirObjects.object();
    for (String field :
        List.of(
            "replicas",
            "selector",
            "template",
            "minReadySeconds",
            "revisionHistoryLimit",
            "progressDeadlineSeconds",
            "progressDeadlineAbort",
            "strategy")) {
      if (spec.has(field)) {
        ordered.set(field, spec.get(field));
      }
    }
    return ordered;
  }

  private void deploymentFields(
      YamlDocument deployment, ObjectNode metadata, ObjectNode rolloutSpec) {
    Source from = src.about(deployment);
    ObjectNode authored = ObjectMetadata.of(from, deployment.value().path("metadata"));
    for (String field : List.of("labels", "annotations")) {
      if (authored.has(field)) {
        metadata.set(field, authored.get(field));
      }
    }
    JsonNode dspec = deployment.value().path("spec");
    for (String field :
        List.of("replicas", "selector", "template", "minReadySeconds", "revisionHistoryLimit")) {
      if (dspec.has(field)) {
        rolloutSpec.set(field, dspec.get(field).deepCopy());
      }
    }
    if (dspec.has("strategy")) {
      from.note(
          "spec.strategy", "left out: the Rollout releases new revisions by the Canary's analysis");
    }
    if (!spec.has("progressDeadlineSeconds") && dspec.has("progressDeadlineSeconds")) {
      rolloutSpec.set("progressDeadlineSeconds", dspec.get("progressDeadlineSeconds").deepCopy());
    }
    from.note(
        "",
        "its pod template is the Rollout's in Weir ("
            + src.describe()
            + "); delete the Deployment once the Rollout is Healthy");
  }

  /**
   * The Canary's HorizontalPodAutoscaler, now scaling the Rollout through its scale subresource;
   * the Rollout starts at its minReplicas. Returns it to be written after the Rollout, or null.
   */
  private Converted hpa(ObjectNode rolloutSpec) {
    String name = spec.path("autoscalerRef").path("name").asText(null);
    if (name == null) {
      return null;
    }
    YamlDocument hpa = inputs.find("HorizontalPodAutoscaler", src.doc.namespace(), name);
    if (hpa == null) {
      src.warn(
          "spec.autoscalerRef",
          "HorizontalPodAutoscaler "
              + name
              + " is not among the files given: point its scaleTargetRef at the Rollout"
              + " (apiVersion "
              + WellKnownNames.API_VERSION
              + ", kind Rollout, name "
              + target
              + "), or give it with -f");
      return null;
    }
    JsonNode min = hpa.value().path("spec").path("minReplicas");
    String replicas = "";
    if (min.isInt()) {
      rolloutSpec.put("replicas", min.asInt());
      replicas = "; spec.replicas starts at its minReplicas (" + min.asInt() + ")";
    }
    ObjectNode scaled = hpa.value().deepCopy();
    ObjectNode hpaSpec =
        scaled.path("spec") instanceof ObjectNode given ? given : scaled.putObject("spec");
    ObjectNode ref = hpaSpec.putObject("scaleTargetRef");
    ref.put("apiVersion", WellKnownNames.API_VERSION);
    ref.put("kind", "Rollout");
    ref.put("name", target);
    src.note(
        "spec.autoscalerRef",
        "HorizontalPodAutoscaler "
            + name
            + " scales the Rollout through its scale subresource, the total that the canary's weight"
            + " splits"
            + replicas);
    return declared(
        ": HorizontalPodAutoscaler "
            + name
            + " ("
            + hpa.file()
            + ":"
            + hpa.line()
            + "), its target the Rollout.",
        scaled);
  }

  private ObjectNode canary(boolean istio, boolean analysed, List<String> comments) {
    ObjectNode canary = WeirObjects.object();
    canary.put("stableService", service);
    canary.put("canaryService", canaryService);
    if (istio) {
      routedBy(canary);
    }
    ArrayNode steps = canary.putArray("steps");
    if (skipsAnalysis()) {
      src.note(
          "spec.skipAnalysis", "no steps: a new revision is promoted as soon as it is available");
      comments.add("skipAnalysis: no steps, a new revision is promoted once available.");
      return canary;
    }
    List<Integer> weights = weights();
    if (hasHook("confirm-rollout")) {
      steps.add(pause(null));
    }
    for (int weight : weights) {
      if (hasHook("confirm-traffic-increase")) {
        steps.add(pause(null));
      }
      ObjectNode setWeight = WeirObjects.object();
      setWeight.put("setWeight", weight);
      steps.add(setWeight);
      steps.add(pause(interval));
      if (analysed) {
        ObjectNode step = WeirObjects.object();
        step.putObject("analysis")
            .putArray("templates")
            .addObject()
            .put("templateName", src.doc.name());
        steps.add(step);
      }
    }
    if (hasHook("confirm-promotion")) {
      steps.add(pause(null));
    }
    String how =
        weights.size()
            + (weights.size() == 1 ? " weight (" : " weights (")
            + String.join(", ", weights.stream().map(w -> w + "%").toList())
            + "), each a setWeight step and a pause of "
            + interval
            + (analysed
                ? ", then an analysis step (AnalysisTemplate "
                    + src.doc.name()
                    + ") measuring every "
                    + interval
                    + " until a measurement passes; "
                    + threshold
                    + " failed at one weight abort the release (Flagger counted them over the"
                    + " whole analysis)"
                : " (no metrics to judge)");
    src.note(analysisPath, "became " + how);
    comments.add(
        "Flagger's analysis (every "
            + interval
            + ", threshold "
            + threshold
            + ") became "
            + how
            + "; after the last, promotion.");
    return canary;
  }

  private ObjectNode blueGreen(boolean istio, boolean analysed, List<String> comments) {
    ObjectNode blueGreen = WeirObjects.object();
    blueGreen.put("activeService", service);
    blueGreen.put("previewService", canaryService);
    if (hasHook("confirm-promotion")) {
      blueGreen.put("autoPromotionEnabled", false);
    }
    if (istio) {
      routedBy(blueGreen);
    }
    int iterations = Math.max(1, analysis.path("iterations").asInt(1));
    String how;
    if (analysed && !skipsAnalysis()) {
      blueGreen
          .putObject("prePromotionAnalysis")
          .putArray("templates")
          .addObject()
          .put("templateName", src.doc.name());
      how =
          "a blue-green release: the new revision is previewed behind "
              + canaryService
              + " and judged by AnalysisTemplate "
              + src.doc.name()
              + " every "
              + interval
              + " until "
              + iterations
              + " checks passed in a row ("
              + threshold
              + " failed ones abort), then all traffic switches to it";
    } else {
      how = "a blue-green release without analysis";
    }
    src.note(analysisPath, "became " + how);
    comments.add(
        "Flagger's analysis (every "
            + interval
            + ", "
            + iterations
            + " iterations, threshold "
            + threshold
            + ") became "
            + how
            + ".");
    return blueGreen;
  }

  /** The route of the VirtualService this conversion declares, for a strategy's trafficRouting. */
  private void routedBy(ObjectNode strategy) {
    ObjectNode vs =
        strategy.putObject("trafficRouting").putObject("istio").putObject("virtualService");
    vs.put("name", service);
    vs.putArray("routes").add("primary");
  }

  private static ObjectNode pause(String duration) {
    ObjectNode step = WeirObjects.object();
    ObjectNode pause = step.putObject("pause");
    if (duration != null) {
      pause.put("duration", duration);
    }
    return step;
  }
}
