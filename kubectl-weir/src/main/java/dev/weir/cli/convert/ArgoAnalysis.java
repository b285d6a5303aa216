package dev.weir.cli.convert;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weir.api.validation.PromQlRatios;
import java.util.Iterator;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Argo Rollouts' AnalysisTemplate, ClusterAnalysisTemplate and AnalysisRun as Weir's: the same
 * kinds and the same fields, with conditions in CEL ({@link ExprConditions}), error ratios that
 * answer 0 rather than nothing ({@link PromQlRatios}), and only Prometheus metrics, the provider
 * Weir has.
 */
final class ArgoAnalysis {

  private ArgoAnalysis() {}

  /** An arg, of a template, a run or a rollout's analysis. Weir keeps values as strings. */
  static final FieldMap ARG =
      new FieldMap("an analysis arg")
          .same("name")
          .rule("value", (src, path, name, value, out) -> out.set(name, WeirObjects.text(value)))
          .object(
              "valueFrom",
              new FieldMap("an arg's valueFrom")
                  .same("secretKeyRef", "fieldRef", "podTemplateHashValue"));

  static final FieldMap TEMPLATE_REF =
      new FieldMap("a template reference").same("templateName", "clusterScope");

  private static final Pattern RANGE_START =
      Pattern.compile(
          "now\\(\\)\\s*-\\s*duration\\(\\s*[\"'`]([0-9a-z.]+|\\{\\{\\s*args\\.[A-Za-z0-9_.-]+\\s*}})[\"'`]\\s*\\)");

  private static final FieldMap PROMETHEUS =
      new FieldMap("the prometheus provider")
          .same("address", "timeout", "insecure")
          .rule("query", ArgoAnalysis::query)
          .rule("headers", ArgoAnalysis::headers)
          .rule("rangeQuery", ArgoAnalysis::rangeQuery)
          .unsupported(
              "authentication",
              "Weir authenticates to Prometheus with a bearer token or basic auth from a Secret"
                  + " (authentication.bearerToken, authentication.basicAuthSecret); SigV4 and"
                  + " OAuth2 do not carry over: left out");

  private static final FieldMap METRIC =
      new FieldMap("a metric")
          .same(
              "name",
              "interval",
              "initialDelay",
              "count",
              "successCondition",
              "failureCondition",
              "inconclusiveLimit",
              "consecutiveErrorLimit",
              "consecutiveSuccessLimit")
          .rule("failureLimit", ArgoAnalysis::failureLimit)
          .rule("provider", ArgoAnalysis::provider);

  private static final FieldMap TEMPLATE_SPEC =
      new FieldMap("an analysis template's spec")
          .list("args", ARG)
          .rule("metrics", ArgoAnalysis::metrics)
          .list("templates", TEMPLATE_REF)
          .same("dryRun", "measurementRetention");

  private static final FieldMap RUN_SPEC =
      new FieldMap("an analysis run's spec")
          .list("args", ARG)
          .rule("metrics", ArgoAnalysis::metrics)
          .same("terminate", "dryRun", "measurementRetention");

  /** An AnalysisTemplate or ClusterAnalysisTemplate; null when nothing of it carries over. */
  static ObjectNode template(Source src) {
    ObjectNode spec = spec(src, TEMPLATE_SPEC);
    if (!spec.has("metrics") && !spec.has("templates")) {
      src.warn(
          "spec.metrics",
          "no metric of "
              + src.describe()
              + " carries over: the template is left out, and analyses that name it are an"
              + " InvalidSpec until it is written again");
      return null;
    }
    return WeirObjects.weir(
        src.doc.kind(), ObjectMetadata.of(src, src.doc.value().path("metadata")), spec);
  }

  /** An AnalysisRun, without its status (Weir measures it afresh). */
  static ObjectNode run(Source src) {
    ObjectNode spec = spec(src, RUN_SPEC);
    if (!spec.has("metrics")) {
      src.warn("spec.metrics", "no metric of " + src.describe() + " carries over: left out");
      return null;
    }
    return WeirObjects.weir(
        "AnalysisRun", ObjectMetadata.of(src, src.doc.value().path("metadata")), spec);
  }

  private static ObjectNode spec(Source src, FieldMap map) {
    ObjectNode spec = map.convert(src, "spec", src.doc.value().path("spec"));
    JsonNode dryRun = spec.remove("dryRun");
    JsonNode retention = spec.remove("measurementRetention");
    if (spec.get("metrics") instanceof ArrayNode metrics) {
      if (dryRun != null) {
        perMetric(
            src, "spec.dryRun", dryRun, metrics, (metric, rule) -> metric.put("dryRun", true));
      }
      if (retention != null) {
        perMetric(
            src,
            "spec.measurementRetention",
            retention,
            metrics,
            (metric, rule) -> {
              if (rule.path("limit").asInt(0) > 0) {
                metric.put("measurementRetention", rule.path("limit").asInt());
              }
            });
      }
      if (metrics.isEmpty()) {
        spec.remove("metrics");
      }
    }
    return spec;
  }

  private interface MetricSetting {
    void apply(ObjectNode metric, JsonNode rule);
  }

  /** Argo's dryRun and measurementRetention name metrics by a regular expression. */
  private static void perMetric(
      Source src, String path, JsonNode rules, ArrayNode metrics, MetricSetting setting) {
    for (int i = 0; i < rules.size(); i++) {
      JsonNode rule = rules.get(i);
      String pattern = rule.path("metricName").asText("");
      try {
        Pattern regex = Pattern.compile(pattern);
        for (JsonNode metric : metrics) {
          if (regex.matcher(metric.path("name").asText()).matches()) {
            setting.apply((ObjectNode) metric, rule);
          }
        }
      } catch (PatternSyntaxException e) {
        src.warn(path + "[" + i + "].metricName", "'" + pattern + "' is not a regular expression");
      }
    }
    src.note(path, "set on each metric it names (Weir sets it per metric)");
  }

  private static void metrics(
      Source src, String path, String name, JsonNode value, ObjectNode out) {
    ArrayNode metrics = WeirObjects.array();
    for (int i = 0; i < value.size(); i++) {
      ObjectNode metric = metric(src, path + "[" + i + "]", value.get(i));
      if (metric != null) {
        metrics.add(metric);
      }
    }
    out.set(name, metrics);
  }

  /** One metric, or null when its provider is not Prometheus. */
  static ObjectNode metric(Source src, String path, JsonNode in) {
    ObjectNode metric = METRIC.convert(src, path, in);
    if (!metric.has("provider")) {
      return null;
    }
    conditions(src, path, metric);
    return metric;
  }

  private static void failureLimit(
      Source src, String path, String name, JsonNode value, ObjectNode out) {
    if (value.isInt() && value.asInt() < 0) {
      // Argo's -1 turns the limit off: measurements go on failing until consecutiveSuccessLimit.
      out.put(name, Integer.MAX_VALUE);
      src.note(path, "-1 (no limit) is " + Integer.MAX_VALUE + " in Weir");
    } else if (!value.isInt()) {
      src.warn(path, "'" + value.asText() + "': Weir's failureLimit is a number: left out");
    } else {
      out.set(name, value);
    }
  }

  private static void provider(
      Source src, String path, String name, JsonNode value, ObjectNode out) {
    Iterator<Map.Entry<String, JsonNode>> fields = value.fields();
    while (fields.hasNext()) {
      var field = fields.next();
      if (field.getKey().equals("prometheus")) {
        ObjectNode provider = WeirObjects.object();
        provider.set("prometheus", PROMETHEUS.convert(src, path + ".prometheus", field.getValue()));
        out.set(name, provider);
      } else {
        src.warn(
            path + "." + field.getKey(),
            "Weir measures with Prometheus only: the metric is left out, and the analysis judges"
                + " without it");
      }
    }
  }

  private static void query(Source src, String path, String name, JsonNode value, ObjectNode out) {
    out.put(name, ratios(src, path, value.asText()));
  }

  /**
   * The query with error ratios rewritten to answer 0 when nothing failed, and a note saying so.
   */
  static String ratios(Source src, String path, String query) {
    var rewrite = PromQlRatios.rewrite(query);
    for (String filter : rewrite.filters()) {
      src.note(
          path,
          "Prometheus has no series for the requests with "
              + filter
              + " while there are none, and Weir judges that as no data, not 0: the ratio's"
              + " numerator is now (sum(...) or vector(0))");
    }
    return rewrite.query();
  }

  private static void headers(
      Source src, String path, String name, JsonNode value, ObjectNode out) {
    ArrayNode headers = WeirObjects.array();
    for (JsonNode header : value) {
      ObjectNode h = WeirObjects.object();
      h.set("name", header.path("key"));
      h.set("value", header.path("value"));
      headers.add(h);
    }
    out.set(name, headers);
    src.note(path, "each header's key is its name in Weir");
  }

  private static void rangeQuery(
      Source src, String path, String name, JsonNode value, ObjectNode out) {
    Matcher start = RANGE_START.matcher(value.path("start").asText(""));
    String end = value.path("end").asText("").replace(" ", "");
    if (!start.matches() || !end.equals("now()") || !value.hasNonNull("step")) {
      src.warn(
          path,
          "Weir's range queries end at the time of the measurement and reach back a lookback:"
              + " only start: now() - duration(\"D\"), end: now() carries over; left out");
      return;
    }
    ObjectNode range = WeirObjects.object();
    range.put("lookback", start.group(1));
    range.set("step", value.get("step"));
    out.set(name, range);
    src.note(
        path, "start now() - duration(\"" + start.group(1) + "\") is lookback " + start.group(1));
  }

  /** successCondition and failureCondition in CEL, and the no-data policy their guards meant. */
  private static void conditions(Source src, String path, ObjectNode metric) {
    String success = metric.path("successCondition").asText(null);
    String failure = metric.path("failureCondition").asText(null);
    if (success == null && failure == null) {
      metric.put("successCondition", "true");
      src.note(path, "no condition: every answered measurement is Successful, as in Argo");
      return;
    }
    var t = ExprConditions.translate(success, failure);
    t.problems()
        .forEach(
            (field, reason) ->
                src.warn(
                    path + "." + field,
                    "could not be translated to CEL ("
                        + reason
                        + "): kept as written, which Weir refuses (InvalidSpec) until it is"
                        + " written in CEL"));
    // The conditions and the policy go where the first condition was.
    ObjectNode rebuilt = WeirObjects.object();
    boolean placed = false;
    for (var field : (Iterable<Map.Entry<String, JsonNode>>) metric::fields) {
      if (!field.getKey().endsWith("Condition")) {
        rebuilt.set(field.getKey(), field.getValue());
      } else if (!placed) {
        placed = true;
        putText(rebuilt, "successCondition", t.successCondition());
        putText(rebuilt, "failureCondition", t.failureCondition());
        putText(rebuilt, "noDataPolicy", t.noDataPolicy());
      }
    }
    metric.removeAll();
    metric.setAll(rebuilt);
    changed(src, path + ".successCondition", success, t.successCondition(), t);
    changed(src, path + ".failureCondition", failure, t.failureCondition(), t);
    if (t.noDataPolicy() != null) {
      src.note(
          path,
          String.join(" and ", t.guards().stream().map(g -> "'" + g + "'").toList())
              + " became noDataPolicy: "
              + t.noDataPolicy()
              + " (Weir judges an empty or NaN result before the conditions)");
    }
  }

  private static void putText(ObjectNode out, String name, String value) {
    if (value != null) {
      out.put(name, value);
    }
  }

  private static void changed(
      Source src, String path, String before, String after, ExprConditions.Translation t) {
    String field = path.substring(path.lastIndexOf('.') + 1);
    if (before != null
        && after != null
        && !after.equals(before)
        && !t.problems().containsKey(field)) {
      src.note(path, "in CEL: " + after);
    }
  }
}
