package dev.weir.api.validation;

import dev.weir.api.v1alpha1.AnalysisArgument;
import dev.weir.api.v1alpha1.AnalysisTemplateSpec;
import dev.weir.api.v1alpha1.Metric;
import dev.weir.api.v1alpha1.SpecProblem;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.function.IntFunction;

/**
 * A template checked on its own, as `kubectl weir lint` does before any rollout names it: args,
 * durations, providers, and every condition compiled with CEL (those whose args only a rollout can
 * give are compiled when a rollout names the template). Fields are those of the template's YAML.
 */
public final class AnalysisTemplateValidator {

  private AnalysisTemplateValidator() {}

  public static List<SpecProblem> check(AnalysisTemplateSpec spec) {
    var problems = new ArrayList<SpecProblem>();
    if (spec == null) {
      problems.add(new SpecProblem("spec", "is required"));
      return problems;
    }
    var copy = Serialization.clone(spec);
    boolean metrics = copy.metrics != null && !copy.metrics.isEmpty();
    boolean includes = copy.templates != null && !copy.templates.isEmpty();
    if (!metrics && !includes) {
      problems.add(new SpecProblem("spec.metrics", "at least one metric (or included template)"));
    }
    if (metrics) {
      checkMetrics(copy.metrics, copy.args, true, i -> "spec.metrics[" + i + "]", problems);
    } else if (copy.args != null) {
      AnalysisArguments.validate("spec.args", copy.args, problems);
    }
    return problems;
  }

  /**
   * The metrics of a template, or of a run written by hand, with the args they may use: the args
   * well formed, metric names unique, the settings filled in from the args' values (in place), each
   * metric checked, every placeholder of a query, header or address declared by an arg. A {@code
   * lenient} check (a template) leaves the placeholders of args declared without a value, which a
   * rollout gives.
   *
   * @param fieldOf the field of the metric at an index, as messages name it
   */
  public static void checkMetrics(
      List<Metric> metrics,
      List<AnalysisArgument> args,
      boolean lenient,
      IntFunction<String> fieldOf,
      List<SpecProblem> problems) {
    if (args != null) {
      AnalysisArguments.validate("spec.args", args, problems);
    }
    checkMetricsWithCheckedArgs(metrics, args, lenient, fieldOf, problems);
  }

  /** {@link #checkMetrics}, for args its caller has checked already (a rollout's, say). */
  public static void checkMetricsWithCheckedArgs(
      List<Metric> metrics,
      List<AnalysisArgument> args,
      boolean lenient,
      IntFunction<String> fieldOf,
      List<SpecProblem> problems) {
    var values = new HashMap<String, String>();
    var names = new HashSet<String>();
    if (args != null) {
      args.stream().filter(Objects::nonNull).forEach(a -> names.add(a.name));
      args.stream()
          .filter(a -> a != null && a.value != null)
          .forEach(a -> values.put(a.name, a.value));
    }
    var declared = new MetricSettings.Declared(values, names, lenient);
    var seen = new HashSet<String>();
    for (int i = 0; i < metrics.size(); i++) {
      var metric = metrics.get(i);
      String field = fieldOf.apply(i);
      if (metric.name != null && !seen.add(metric.name)) {
        problems.add(new SpecProblem(field + ".name", "'" + metric.name + "' is defined twice"));
      }
      MetricSettings.substitute(field, metric, declared, problems);
      MetricValidator.validate(field, metric, problems);
      for (String used : MetricSettings.placeholders(metric)) {
        if (!names.contains(used)) {
          problems.add(
              new SpecProblem(
                  field + ".provider", "uses {{args." + used + "}}, which no arg declares"));
        }
      }
    }
  }
}
