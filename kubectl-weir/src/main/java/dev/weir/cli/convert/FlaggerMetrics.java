package dev.weir.cli.convert;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weir.cli.manifest.YamlDocument;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The metrics of a Flagger Canary's analysis as Weir's: Flagger's built-in Istio checks written out
 * as the PromQL Flagger runs, MetricTemplates' queries with their variables filled in, {@code
 * thresholdRange} as a CEL condition. Flagger judges the canary's own Deployment ({@code
 * destination_workload="{{ target }}"}, beside {@code target-primary}); a Rollout's revisions are
 * one workload, so the canary is selected by the Service its traffic is addressed to instead.
 */
record FlaggerMetrics(
    Source src,
    Inputs inputs,
    String analysisPath,
    String service,
    String canaryService,
    String provider,
    String interval) {

  /** The args the template declares and its metrics. */
  record Metrics(ArrayNode args, ArrayNode metrics) {}

  private static final Pattern VARIABLE =
      Pattern.compile(
          "\\{\\{\\s*(namespace|name|target|service|ingress|route|interval|variables\\.([A-Za-z0-9_-]+))\\s*}}");

  /** Istio's labels of the destination workload, narrowed to the canary's Service instead. */
  private static final Pattern ISTIO_WORKLOAD =
      Pattern.compile("destination_workload\\s*=~?\\s*\"\\{\\{\\s*target\\s*}}\"");

  private static final Pattern ISTIO_WORKLOAD_NAMESPACE =
      Pattern.compile("destination_workload_namespace(\\s*=~?\\s*)");

  /**
   * The metrics, each measured every interval until {@code successes} measurements passed in a row,
   * failing at the {@code threshold}-th failed one.
   */
  Metrics metrics(int successes, int threshold, boolean blueGreen) {
    JsonNode list = canarySpec().at("/" + analysisPath.substring("spec.".length()) + "/metrics");
    ArrayNode metrics = WeirObjects.array();
    for (int i = 0; i < list.size(); i++) {
      ObjectNode metric =
          metric(
              analysisPath + ".metrics[" + i + "]", list.get(i), successes, threshold, blueGreen);
      if (metric != null) {
        metrics.add(metric);
      }
    }
    ArrayNode args = WeirObjects.array();
    if (metrics.toString().contains("{{args.namespace}}")) {
      ObjectNode arg = args.addObject();
      arg.put("name", "namespace");
      arg.putObject("valueFrom").putObject("fieldRef").put("fieldPath", "metadata.namespace");
    }
    return new Metrics(args, metrics);
  }

  private ObjectNode metric(
      String path, JsonNode m, int successes, int threshold, boolean blueGreen) {
    String name = m.path("name").asText();
    // Flagger's query window defaults to a minute, whatever the analysis interval.
    String window = m.path("interval").asText("1m");
    ObjectNode prometheus = WeirObjects.object();
    String query;
    if (m.has("templateRef")) {
      query = fromTemplate(path, m, prometheus);
    } else if (name.equals("request-success-rate") || name.equals("request-duration")) {
      query = builtin(path, name);
    } else if (m.has("query")) {
      query = m.get("query").asText();
    } else {
      src.warn(path, "neither a templateRef, a query nor a built-in check of Flagger: left out");
      return null;
    }
    if (query == null) {
      return null;
    }
    if (!prometheus.has("address") && canarySpec().has("metricsServer")) {
      prometheus.put("address", canarySpec().get("metricsServer").asText());
    }
    ObjectNode metric = WeirObjects.object();
    metric.put("name", name);
    metric.put("interval", interval);
    if (blueGreen) {
      // Flagger's first check comes one interval after the new revision is up.
      metric.put("initialDelay", interval);
    }
    metric.put("successCondition", condition(path, name, m));
    metric.put("failureLimit", threshold - 1);
    metric.put("consecutiveSuccessLimit", successes);
    metric.put("noDataPolicy", "Fail");
    prometheus.put("query", ArgoAnalysis.ratios(src, path, variables(path, m, query, window)));
    metric.putObject("provider").set("prometheus", prometheus);
    return metric;
  }

  private String fromTemplate(String path, JsonNode m, ObjectNode prometheus) {
    JsonNode ref = m.get("templateRef");
    String namespace = ref.path("namespace").asText(src.doc.namespace());
    YamlDocument template = inputs.find("MetricTemplate", namespace, ref.path("name").asText());
    if (template == null) {
      src.warn(
          path + ".templateRef",
          "MetricTemplate "
              + namespace
              + "/"
              + ref.path("name").asText()
              + " is not among the files given: the metric is left out; give it with -f");
      return null;
    }
    Source from = src.about(template);
    JsonNode spec = template.value().path("spec");
    String type = spec.path("provider").path("type").asText("prometheus");
    if (!type.equals("prometheus")) {
      from.warn(
          "spec.provider.type",
          "Weir measures with Prometheus only: the metric "
              + m.path("name").asText()
              + " of "
              + src.describe()
              + " is left out");
      return null;
    }
    JsonNode provider = spec.path("provider");
    if (provider.has("address")) {
      prometheus.put("address", provider.get("address").asText());
    }
    if (provider.path("insecureSkipVerify").asBoolean(false)) {
      prometheus.put("insecure", true);
    }
    if (provider.has("secretRef")) {
      from.warn(
          "spec.provider.secretRef",
          "Weir reads Prometheus credentials from Secrets opted in for analysis"
              + " (authentication.basicAuthSecret, or authentication.bearerToken for a token):"
              + " left out, set one of them by hand");
    }
    return spec.path("query").asText();
  }

  /** Flagger's own Istio queries, for the canary's Service. */
  private String builtin(String path, String name) {
    if (!provider.equals("istio")) {
      src.warn(
          path,
          "Flagger's built-in "
              + name
              + " check for "
              + provider
              + " has no Istio query to carry over: left out");
      return null;
    }
    String selector =
        "reporter=\"destination\",destination_service_namespace=\"{{args.namespace}}\","
            + "destination_service_name=\""
            + canaryService
            + "\"";
    src.note(
        path,
        "Flagger's built-in Istio query, for the requests to "
            + canaryService
            + " (the canary's Service)");
    if (name.equals("request-success-rate")) {
      // With traffic and no success (every request failed) the numerator has no series: 0.
      return "(sum(rate(istio_requests_total{"
          + selector
          + ",response_code!~\"5.*\"}[{{ interval }}])) or vector(0))\n/\nsum(rate(istio_requests_total{"
          + selector
          + "}[{{ interval }}]))\n* 100\n";
    }
    return "histogram_quantile(0.99,\n  sum(rate(istio_request_duration_milliseconds_bucket{"
        + selector
        + "}[{{ interval }}])) by (le)\n)\n";
  }

  private JsonNode canarySpec() {
    return src.doc.value().path("spec");
  }

  /** Flagger's template variables, filled in as Flagger fills them for this Canary. */
  private String variables(String path, JsonNode m, String query, String window) {
    Matcher workload = ISTIO_WORKLOAD.matcher(query);
    if (workload.find()) {
      String written = workload.group();
      query =
          ISTIO_WORKLOAD_NAMESPACE
              .matcher(workload.replaceAll("destination_service_name=\"" + canaryService + "\""))
              .replaceAll("destination_service_namespace$1");
      src.note(
          path,
          written
              + " selects the canary by its Service in Weir: destination_service_name=\""
              + canaryService
              + "\"");
    }
    var out = new StringBuilder();
    Matcher v = VARIABLE.matcher(query);
    while (v.find()) {
      String value =
          switch (v.group(1)) {
            case "namespace" -> "{{args.namespace}}";
            case "name" -> src.doc.name();
            case "target" -> {
              src.warn(
                  path,
                  "{{ target }} named the canary's own Deployment in Flagger; a Rollout's revisions"
                      + " are one workload, so this query now measures stable and canary"
                      + " together: select the canary by its Service, "
                      + canaryService);
              yield canarySpec().path("targetRef").path("name").asText();
            }
            case "service" -> service;
            case "interval" -> window;
            default -> variable(path, m, v);
          };
      v.appendReplacement(out, Matcher.quoteReplacement(value));
    }
    v.appendTail(out);
    return out.toString();
  }

  private String variable(String path, JsonNode m, Matcher v) {
    if (v.group(2) != null) {
      JsonNode value = m.path("templateVariables").path(v.group(2));
      if (!value.isMissingNode()) {
        return value.asText();
      }
      src.warn(path, "{{ variables." + v.group(2) + " }} has no value in templateVariables");
      return "";
    }
    src.warn(path, "{{ " + v.group(1) + " }} names an ingress or route, which Weir does not use");
    return "";
  }

  /** thresholdRange as CEL; Flagger's older threshold as Flagger reads it. */
  private String condition(String path, String name, JsonNode m) {
    JsonNode range = m.path("thresholdRange");
    if (range.isObject()) {
      var parts = new java.util.ArrayList<String>();
      if (range.has("min")) {
        parts.add("result[0] >= " + range.get("min").asText());
      }
      if (range.has("max")) {
        parts.add("result[0] <= " + range.get("max").asText());
      }
      if (!parts.isEmpty()) {
        return String.join(" && ", parts);
      }
    }
    if (m.has("threshold")) {
      String threshold = m.get("threshold").asText();
      return name.equals("request-success-rate")
          ? "result[0] >= " + threshold
          : "result[0] <= " + threshold;
    }
    src.warn(path, "no thresholdRange: every measurement with data passes");
    return "true";
  }
}
