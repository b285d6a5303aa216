package dev.weir.analysis;

import dev.weir.api.v1alpha1.AnalysisArgument;
import dev.weir.api.v1alpha1.AnalysisTemplateRef;
import dev.weir.api.v1alpha1.AnalysisTemplateSpec;
import dev.weir.api.v1alpha1.Metric;
import dev.weir.api.v1alpha1.RolloutAnalysis;
import dev.weir.api.v1alpha1.SpecProblem;
import dev.weir.api.validation.AnalysisArguments;
import dev.weir.api.validation.MetricSettings;
import dev.weir.api.validation.MetricValidator;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Turns an analysis of a rollout (template references, metrics written in it, and args) into the
 * metrics and args of a run: includes followed, cycles and unknown templates reported, metrics
 * checked, every arg the queries use given a value. Pure: templates come from a {@link
 * TemplateLookup}.
 */
public final class TemplateResolver {

  private final TemplateLookup lookup;

  public TemplateResolver(TemplateLookup lookup) {
    this.lookup = lookup;
  }

  /** The resolved analysis, or the problems that keep it from running. */
  public record Resolution(Optional<ResolvedAnalysis> analysis, List<SpecProblem> problems) {}

  /**
   * Resolves an analysis declared at {@code field} (say {@code spec.strategy.canary.steps[2]
   * .analysis}) of a rollout in {@code namespace}.
   */
  public Resolution resolve(String field, RolloutAnalysis analysis, String namespace) {
    var problems = new ArrayList<SpecProblem>();
    var metrics = new ArrayList<Metric>();
    var where = new ArrayList<String>();
    var declared = new LinkedHashMap<String, AnalysisArgument>();
    var refs = analysis.templates == null ? List.<AnalysisTemplateRef>of() : analysis.templates;
    for (int i = 0; i < refs.size(); i++) {
      collect(
          field + ".templates[" + i + "]",
          refs.get(i),
          namespace,
          new LinkedHashSet<>(),
          metrics,
          where,
          declared,
          problems);
    }
    // The metrics written in the analysis itself, after the templates'; copies, as those are.
    var inline = analysis.metrics == null ? List.<Metric>of() : analysis.metrics;
    var usedInline = new LinkedHashSet<String>();
    for (int i = 0; i < inline.size(); i++) {
      var metric = Serialization.clone(inline.get(i));
      if (metric == null) {
        problems.add(new SpecProblem(field + ".metrics[" + i + "]", "is empty"));
        continue;
      }
      usedInline.addAll(MetricSettings.allPlaceholders(metric));
      where.add(
          field + ".metrics[" + i + "]" + (metric.name == null ? "" : " (" + metric.name + ")"));
      metrics.add(metric);
    }
    var names = new LinkedHashSet<String>();
    for (Metric metric : metrics) {
      if (metric.name != null && !names.add(metric.name)) {
        problems.add(
            new SpecProblem(
                field + ".templates", "metric '" + metric.name + "' is defined more than once"));
      }
    }
    var args = new LinkedHashMap<>(declared);
    if (analysis.args != null) {
      AnalysisArguments.validate(field + ".args", analysis.args, problems);
      for (int i = 0; i < analysis.args.size(); i++) {
        var given = analysis.args.get(i);
        if (given == null || given.name == null) {
          continue;
        }
        if (!declared.containsKey(given.name) && !usedInline.contains(given.name)) {
          problems.add(
              new SpecProblem(
                  field + ".args[" + i + "]",
                  "'"
                      + given.name
                      + "' is not an arg of the templates "
                      + declared.keySet()
                      + (inline.isEmpty() ? "" : " nor used by the metrics written here")));
        }
        args.put(given.name, given);
      }
    }
    for (var arg : args.values()) {
      if (arg.value == null && arg.valueFrom == null) {
        problems.add(
            new SpecProblem(field + ".args", "arg '" + arg.name + "' needs a value or valueFrom"));
      }
    }
    var plain = new LinkedHashMap<String, String>();
    args.values().stream().filter(a -> a.value != null).forEach(a -> plain.put(a.name, a.value));
    for (int i = 0; i < metrics.size(); i++) {
      MetricSettings.substitute(where.get(i), metrics.get(i), plain, args.keySet(), problems);
      MetricValidator.validate(where.get(i), metrics.get(i), problems);
    }
    for (Metric metric : metrics) {
      for (String used : MetricSettings.placeholders(metric)) {
        if (!args.containsKey(used)) {
          problems.add(
              new SpecProblem(
                  field + ".templates",
                  "metric '"
                      + metric.name
                      + "' uses {{args."
                      + used
                      + "}}, which no arg declares"));
        }
      }
    }
    if (!problems.isEmpty()) {
      return new Resolution(Optional.empty(), problems);
    }
    return new Resolution(
        Optional.of(new ResolvedAnalysis(metrics, List.copyOf(args.values()), List.copyOf(where))),
        List.of());
  }

  private void collect(
      String field,
      AnalysisTemplateRef ref,
      String namespace,
      Set<String> path,
      List<Metric> metrics,
      List<String> where,
      Map<String, AnalysisArgument> args,
      List<SpecProblem> problems) {
    if (ref == null || ref.templateName == null || ref.templateName.isBlank()) {
      problems.add(new SpecProblem(field + ".templateName", "is required"));
      return;
    }
    String name = ref.describe();
    if (!path.add(name)) {
      problems.add(
          new SpecProblem(field, "templates include each other: " + String.join(" → ", path)));
      return;
    }
    boolean cluster = Boolean.TRUE.equals(ref.clusterScope);
    Optional<AnalysisTemplateSpec> found =
        cluster
            ? lookup.clusterScoped(ref.templateName)
            : lookup.namespaced(namespace, ref.templateName);
    if (found.isEmpty()) {
      problems.add(
          new SpecProblem(
              field, name + " not found" + (cluster ? "" : " in namespace " + namespace)));
      return;
    }
    // Copies: the run gets its own metrics, and the informer's objects stay untouched.
    var spec = Serialization.clone(found.get());
    String within = field + " (" + name + ")";
    if (spec.metrics != null) {
      for (int i = 0; i < spec.metrics.size(); i++) {
        var metric = spec.metrics.get(i);
        if (metric == null) {
          problems.add(new SpecProblem(within + ".metrics[" + i + "]", "is empty"));
          continue;
        }
        String label = metric.name == null ? "" : " (" + metric.name + ")";
        where.add(within + ".metrics[" + i + "]" + label);
        metrics.add(metric);
      }
    }
    if (spec.args != null) {
      AnalysisArguments.validate(within + ".args", spec.args, problems);
      for (var arg : spec.args) {
        if (arg != null && arg.name != null) {
          var earlier = args.get(arg.name);
          if (earlier == null || earlier.value == null && earlier.valueFrom == null) {
            args.put(arg.name, arg);
          }
        }
      }
    }
    if (spec.templates != null) {
      for (int i = 0; i < spec.templates.size(); i++) {
        collect(
            within + ".templates[" + i + "]",
            spec.templates.get(i),
            namespace,
            new LinkedHashSet<>(path),
            metrics,
            where,
            args,
            problems);
      }
    }
    if ((spec.metrics == null || spec.metrics.isEmpty())
        && (spec.templates == null || spec.templates.isEmpty())) {
      problems.add(new SpecProblem(field, name + " has no metrics"));
    }
  }
}
