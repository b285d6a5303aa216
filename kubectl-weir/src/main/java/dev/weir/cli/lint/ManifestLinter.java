package dev.weir.cli.lint;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import dev.weir.api.WellKnownNames;
import dev.weir.api.v1alpha1.AnalysisTemplate;
import dev.weir.api.v1alpha1.CanaryStep;
import dev.weir.api.v1alpha1.Metric;
import dev.weir.api.v1alpha1.NotificationPolicy;
import dev.weir.api.v1alpha1.Rollout;
import dev.weir.api.v1alpha1.SpecProblem;
import dev.weir.api.validation.AnalysisTemplateValidator;
import dev.weir.api.validation.NoDataRatios;
import dev.weir.api.validation.NotificationPolicyValidator;
import dev.weir.api.validation.RolloutValidator;
import dev.weir.cli.Json;
import dev.weir.cli.manifest.YamlDocument;
import dev.weir.cli.manifest.YamlDocuments;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * Checks manifests offline, without a cluster, and says where each problem is (file, line, column):
 *
 * <ol>
 *   <li>YAML syntax;
 *   <li>each weir.dev object against the schema of its CRD (types, required fields, ranges, and
 *       unknown fields, which the API server would silently drop);
 *   <li>each Rollout against {@link RolloutValidator}, the rules Weir itself applies before it acts
 *       (a failing rule is an {@code InvalidSpec} in the cluster), and the sanity of its steps (a
 *       weight that goes back down);
 *   <li>references from a Rollout to analysis templates given in the same files, and the arguments
 *       those templates need.
 * </ol>
 *
 * Objects of other groups (Services, VirtualServices) are skipped. Kinds of weir.dev that this
 * build has no CRD for are reported as not checked.
 */
public final class ManifestLinter {

  private static final String ANY = "*";

  private final List<Finding> findings = new ArrayList<>();
  private final List<String> summaries = new ArrayList<>();
  private final Map<String, SchemaCheck> schemas = new HashMap<>();
  private final List<YamlDocument> documents = new ArrayList<>();

  /** What lint found, and one line per weir.dev object saying how it fared. */
  public record Result(List<Finding> findings, List<String> summaries) {
    public boolean failed() {
      return findings.stream().anyMatch(f -> f.severity() == Finding.Severity.ERROR);
    }
  }

  /** Lints files given as name and content, in order. */
  public static Result lint(Map<String, String> files) {
    var linter = new ManifestLinter();
    files.forEach(linter::read);
    linter.documents.forEach(linter::check);
    linter.checkReferences();
    var sorted = new ArrayList<>(linter.findings);
    sorted.sort(null);
    return new Result(sorted, linter.summaries);
  }

  private void read(String file, String text) {
    try {
      for (YamlDocument doc : YamlDocuments.parse(file, text)) {
        if (doc.apiVersion().startsWith(WellKnownNames.GROUP + "/")) {
          documents.add(doc);
        }
      }
    } catch (YamlDocuments.SyntaxError e) {
      findings.add(
          new Finding(
              file,
              e.line(),
              e.column(),
              Finding.Severity.ERROR,
              "",
              "invalid YAML: " + e.getMessage()));
    }
  }

  private void check(YamlDocument doc) {
    int before = findings.size();
    String apiVersion = doc.apiVersion();
    if (!apiVersion.equals(WellKnownNames.API_VERSION)) {
      report(
          doc,
          "apiVersion",
          apiVersion + " is not served: use " + WellKnownNames.API_VERSION,
          true);
    }
    SchemaCheck schema =
        schemas.computeIfAbsent(doc.kind(), k -> k.isEmpty() ? null : SchemaCheck.forKind(k));
    if (schema == null) {
      report(
          doc,
          "kind",
          "kind \""
              + doc.kind()
              + "\" of weir.dev is not known to this version of kubectl-weir: not checked",
          false);
    } else {
      schema.check(
          doc.node(),
          (at, field, message, error) ->
              findings.add(finding(doc.file(), at, field, message, error)));
    }
    if (doc.kind().equals("Rollout")) {
      var schemaErrors =
          findings.subList(before, findings.size()).stream()
              .filter(f -> f.severity() == Finding.Severity.ERROR)
              .map(Finding::field)
              .toList();
      checkRollout(doc, schemaErrors);
    } else if (doc.kind().equals("AnalysisTemplate")
        || doc.kind().equals("ClusterAnalysisTemplate")) {
      checkTemplate(doc);
    } else if (doc.kind().equals("NotificationPolicy")) {
      checkNotificationPolicy(doc);
    }
    if (doc.kind().endsWith("AnalysisTemplate") || doc.kind().equals("AnalysisRun")) {
      warnInsecure(doc);
      warnNoDataRatios(doc);
    }
    long errors =
        findings.subList(before, findings.size()).stream()
            .filter(f -> f.severity() == Finding.Severity.ERROR)
            .count();
    long warnings = findings.size() - before - errors;
    String what = doc.kind() + " " + doc.namespace() + "/" + doc.name();
    String verdict =
        errors == 0 && warnings == 0
            ? "valid"
            : count(errors, "error") + ", " + count(warnings, "warning");
    summaries.add(doc.file() + ":" + doc.line() + ": " + what + ": " + verdict);
  }

  private static String count(long n, String word) {
    return n + " " + word + (n == 1 ? "" : "s");
  }

  /**
   * Weir's own rules, and the sanity of the steps. A rule about a field the schema check already
   * found wrong (or a field around it: a step whose only field was pruned) says nothing new.
   */
  /** A template's metrics as Weir checks them: durations, providers, CEL conditions compiled. */
  private void checkTemplate(YamlDocument doc) {
    AnalysisTemplate template;
    try {
      template = Json.MAPPER.convertValue(doc.value(), AnalysisTemplate.class);
    } catch (IllegalArgumentException e) {
      return; // the schema check has said why
    }
    for (SpecProblem problem : AnalysisTemplateValidator.check(template.getSpec())) {
      report(doc, problem.field(), problem.message(), true);
    }
  }

  /** A notification policy as Weir checks it: destinations, URLs, templates, Secret references. */
  private void checkNotificationPolicy(YamlDocument doc) {
    NotificationPolicy policy;
    try {
      policy = Json.MAPPER.convertValue(doc.value(), NotificationPolicy.class);
    } catch (IllegalArgumentException e) {
      return; // the schema check has said why
    }
    for (SpecProblem problem : NotificationPolicyValidator.check(policy.getSpec())) {
      report(doc, problem.field(), problem.message(), true);
    }
  }

  /**
   * {@code insecure: true} is allowed (a test setup), but whoever answers at the address can read
   * what the metric sends, credentials included: a warning, which leaves the exit code alone.
   */
  private void warnInsecure(YamlDocument doc) {
    var metrics = doc.value().path("spec").path("metrics");
    for (int i = 0; i < metrics.size(); i++) {
      if (metrics.get(i).path("provider").path("prometheus").path("insecure").asBoolean(false)) {
        report(
            doc,
            "spec.metrics[" + i + "].provider.prometheus.insecure",
            "accepts any TLS certificate and host name: whoever answers at the address reads the"
                + " query and its credentials; trust the server's CA instead (the controller's"
                + " weir.prometheus.tls.ca-file, the chart's prometheus.tls.caConfigMap)",
            false);
      }
    }
  }

  /**
   * An error ratio that is no data while nothing fails: valid, so a warning ({@link NoDataRatios}).
   */
  private void warnNoDataRatios(YamlDocument doc) {
    List<Metric> metrics;
    try {
      metrics =
          Json.MAPPER.convertValue(
              doc.value().path("spec").path("metrics"), new TypeReference<List<Metric>>() {});
    } catch (IllegalArgumentException e) {
      return; // the schema check has said why
    }
    for (SpecProblem warning : NoDataRatios.warnings(metrics)) {
      report(doc, warning.field(), warning.message(), false);
    }
  }

  private void checkRollout(YamlDocument doc, List<String> schemaErrors) {
    Rollout rollout;
    try {
      rollout = Json.MAPPER.convertValue(doc.value(), Rollout.class);
    } catch (IllegalArgumentException e) {
      return; // the schema check has said why
    }
    if (rollout.getSpec() == null) {
      return;
    }
    var problems = new ArrayList<SpecProblem>();
    RolloutValidator.validateName(rollout.getMetadata().getName(), problems);
    problems.addAll(RolloutValidator.validate(rollout.getSpec()));
    for (SpecProblem problem : problems) {
      boolean known =
          schemaErrors.stream()
              .anyMatch(f -> f.startsWith(problem.field()) || problem.field().startsWith(f));
      if (!known) {
        report(doc, problem.field(), problem.message(), true);
      }
    }
    var canary = rollout.getSpec().strategy == null ? null : rollout.getSpec().strategy.canary;
    if (canary == null || canary.steps == null) {
      return;
    }
    Integer highest = null;
    int highestAt = 0;
    for (int i = 0; i < canary.steps.size(); i++) {
      CanaryStep step = canary.steps.get(i);
      if (step == null || step.setWeight == null) {
        continue;
      }
      if (highest != null && step.setWeight < highest) {
        report(
            doc,
            "spec.strategy.canary.steps[" + i + "].setWeight",
            step.setWeight
                + " is lower than the "
                + highest
                + " of step "
                + (highestAt + 1)
                + ": the canary's share of the traffic goes back down",
            false);
      }
      if (highest == null || step.setWeight > highest) {
        highest = step.setWeight;
        highestAt = i;
      }
    }
  }

  /**
   * A Rollout's analysis templates ({@code templates[].templateName}, with {@code clusterScope} for
   * a ClusterAnalysisTemplate) against the templates in the files given: when any are given, a
   * missing one is reported, and so is an argument a template needs that the Rollout does not pass
   * ({@code args[].name}).
   */
  private void checkReferences() {
    var templates = new HashMap<String, YamlDocument>();
    for (YamlDocument doc : documents) {
      if (doc.kind().equals("AnalysisTemplate")) {
        // A template that names no namespace goes where it is applied (kubectl apply -n): it
        // serves the rollouts of any namespace here.
        String namespace = doc.hasNamespace() ? doc.namespace() : ANY;
        templates.put("AnalysisTemplate/" + namespace + "/" + doc.name(), doc);
      } else if (doc.kind().equals("ClusterAnalysisTemplate")) {
        templates.put("ClusterAnalysisTemplate/" + doc.name(), doc);
      }
    }
    if (templates.isEmpty()) {
      return;
    }
    for (YamlDocument doc : documents) {
      if (!doc.kind().equals("Rollout")) {
        continue;
      }
      referencesUnder(doc, doc.node(), "", templates);
    }
  }

  private void referencesUnder(
      YamlDocument doc, Node node, String path, Map<String, YamlDocument> templates) {
    if (node instanceof MappingNode mapping) {
      Node templatesNode = value(mapping, "templates");
      if (templatesNode instanceof SequenceNode list && path.contains("nalysis")) {
        checkAnalysis(doc, mapping, list, path, templates);
      }
      for (NodeTuple tuple : mapping.getValue()) {
        if (tuple.getKeyNode() instanceof ScalarNode key) {
          String child = path.isEmpty() ? key.getValue() : path + "." + key.getValue();
          referencesUnder(doc, tuple.getValueNode(), child, templates);
        }
      }
    } else if (node instanceof SequenceNode seq) {
      for (int i = 0; i < seq.getValue().size(); i++) {
        referencesUnder(doc, seq.getValue().get(i), path + "[" + i + "]", templates);
      }
    }
  }

  private void checkAnalysis(
      YamlDocument doc,
      MappingNode analysis,
      SequenceNode list,
      String path,
      Map<String, YamlDocument> templates) {
    var given = new java.util.HashSet<String>();
    if (value(analysis, "args") instanceof SequenceNode args) {
      for (Node arg : args.getValue()) {
        if (arg instanceof MappingNode a && value(a, "name") instanceof ScalarNode n) {
          given.add(n.getValue());
        }
      }
    }
    for (int i = 0; i < list.getValue().size(); i++) {
      if (!(list.getValue().get(i) instanceof MappingNode ref)
          || !(value(ref, "templateName") instanceof ScalarNode name)) {
        continue;
      }
      boolean cluster =
          value(ref, "clusterScope") instanceof ScalarNode s && "true".equals(s.getValue());
      String key =
          cluster
              ? "ClusterAnalysisTemplate/" + name.getValue()
              : "AnalysisTemplate/" + doc.namespace() + "/" + name.getValue();
      String field = path + ".templates[" + i + "].templateName";
      YamlDocument template = templates.get(key);
      if (template == null && !cluster) {
        template = templates.get("AnalysisTemplate/" + ANY + "/" + name.getValue());
      }
      if (template == null) {
        findings.add(
            finding(
                doc.file(),
                name,
                field,
                (cluster ? "ClusterAnalysisTemplate \"" : "AnalysisTemplate \"")
                    + name.getValue()
                    + "\" is not among the templates in the files given"
                    + (cluster ? "" : " (namespace " + doc.namespace() + ")"),
                false));
        continue;
      }
      for (JsonNode declared : template.value().path("spec").path("args")) {
        String argName = declared.path("name").asText(null);
        if (argName != null
            && !declared.has("value")
            && !declared.has("valueFrom")
            && !given.contains(argName)) {
          findings.add(
              finding(
                  doc.file(),
                  name,
                  field,
                  "template \""
                      + name.getValue()
                      + "\" needs the argument \""
                      + argName
                      + "\", which "
                      + path
                      + ".args does not give",
                  true));
        }
      }
    }
  }

  private void report(YamlDocument doc, String field, String message, boolean error) {
    findings.add(
        finding(doc.file(), YamlDocument.nodeAt(doc.node(), field), field, message, error));
  }

  private static Finding finding(
      String file, Node at, String field, String message, boolean error) {
    return new Finding(
        file,
        at.getStartMark().getLine() + 1,
        at.getStartMark().getColumn() + 1,
        error ? Finding.Severity.ERROR : Finding.Severity.WARNING,
        field,
        message);
  }

  private static Node value(MappingNode mapping, String key) {
    NodeTuple tuple = YamlDocument.tuple(mapping, key);
    return tuple == null ? null : tuple.getValueNode();
  }
}
