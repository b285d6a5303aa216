package dev.weir.api.validation;

import dev.weir.api.v1alpha1.Metric;
import dev.weir.api.v1alpha1.SpecProblem;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Fills the {{args.NAME}} of a metric's settings (interval, initialDelay, count, conditions,
 * timeout, range, compare's window, step and tolerance) when the run is made, so that one template
 * serves a quick test and a slow production release alike. Queries and headers keep theirs until
 * each measurement: they may use Secret-backed args, which are never copied into a run.
 */
public final class MetricSettings {

  /** {@code {{args.NAME}}}, spaces allowed inside the braces. */
  public static final Pattern PLACEHOLDER =
      Pattern.compile("\\{\\{\\s*args\\.([A-Za-z0-9_.-]+)\\s*}}");

  private MetricSettings() {}

  /** Substitutes the plain values into the metric's settings; problems name the field. */
  public static void substitute(
      String field,
      Metric metric,
      Map<String, String> values,
      java.util.Set<String> declared,
      List<SpecProblem> problems) {
    substitute(field, metric, new Declared(values, declared, false), problems);
  }

  public static void substitute(
      String field, Metric metric, Declared args, List<SpecProblem> problems) {
    metric.interval = duration(field + ".interval", metric.interval, args, problems);
    metric.initialDelay = duration(field + ".initialDelay", metric.initialDelay, args, problems);
    metric.count = duration(field + ".count", metric.count, args, problems);
    text(
        field + ".successCondition",
        metric.successCondition,
        args,
        problems,
        v -> metric.successCondition = v);
    text(
        field + ".failureCondition",
        metric.failureCondition,
        args,
        problems,
        v -> metric.failureCondition = v);
    var compare = metric.compare;
    if (compare != null) {
      compare.window = duration(field + ".compare.window", compare.window, args, problems);
      compare.step = duration(field + ".compare.step", compare.step, args, problems);
      text(
          field + ".compare.tolerance",
          compare.tolerance,
          args,
          problems,
          v -> compare.tolerance = v);
    }
    var prometheus = metric.provider == null ? null : metric.provider.prometheus;
    if (prometheus != null) {
      prometheus.timeout =
          duration(field + ".provider.prometheus.timeout", prometheus.timeout, args, problems);
      if (prometheus.rangeQuery != null) {
        var range = prometheus.rangeQuery;
        range.lookback =
            duration(
                field + ".provider.prometheus.rangeQuery.lookback", range.lookback, args, problems);
        range.step =
            duration(field + ".provider.prometheus.rangeQuery.step", range.step, args, problems);
      }
    }
    // A count left as {{args.NAME}} (a template's arg without a value) is checked once filled in.
    boolean unfilled =
        metric.count != null && String.valueOf(metric.count.getStrVal()).contains("{{");
    if (metric.count != null && !unfilled) {
      try {
        if (count(metric.count) < 1) {
          problems.add(new SpecProblem(field + ".count", "must be at least 1"));
        }
      } catch (NumberFormatException e) {
        problems.add(
            new SpecProblem(
                field + ".count", "'" + metric.count.getStrVal() + "' is not a number"));
      }
    }
  }

  /**
   * The args' plain values, and the names of all args declared; {@code lenient} leaves the
   * placeholders of declared args without a value as they are (a template checked on its own: a
   * rollout will give them).
   */
  public record Declared(
      Map<String, String> values, java.util.Set<String> names, boolean lenient) {}

  /** A count as a number. */
  public static int count(IntOrString count) {
    return count.getIntVal() != null
        ? count.getIntVal()
        : Integer.parseInt(count.getStrVal().trim());
  }

  private static IntOrString duration(
      String field, IntOrString value, Declared values, List<SpecProblem> problems) {
    if (value == null || value.getStrVal() == null || !value.getStrVal().contains("{{")) {
      return value;
    }
    String[] filled = {value.getStrVal()};
    text(field, value.getStrVal(), values, problems, v -> filled[0] = v);
    return new IntOrString(filled[0]);
  }

  private static void text(
      String field,
      String text,
      Declared values,
      List<SpecProblem> problems,
      Consumer<String> set) {
    if (text == null || !text.contains("{{")) {
      return;
    }
    Matcher m = PLACEHOLDER.matcher(text);
    var out = new StringBuilder();
    while (m.find()) {
      String value = values.values().get(m.group(1));
      if (value == null && values.lenient() && values.names().contains(m.group(1))) {
        return;
      }
      if (value == null) {
        problems.add(
            new SpecProblem(
                field,
                values.names().contains(m.group(1))
                    ? "uses {{args." + m.group(1) + "}}, which needs a value (not valueFrom)"
                    : "uses {{args." + m.group(1) + "}}, which no arg declares"));
        return;
      }
      m.appendReplacement(out, Matcher.quoteReplacement(value));
    }
    m.appendTail(out);
    set.accept(out.toString());
  }

  /** The arg names a metric uses anywhere: its settings and conditions as well as its queries. */
  public static Set<String> allPlaceholders(Metric metric) {
    var used = new LinkedHashSet<String>();
    find(Serialization.asJson(metric), used);
    return used;
  }

  /** The arg names a metric's query, guard query, headers and address use. */
  public static Set<String> placeholders(Metric metric) {
    var used = new LinkedHashSet<String>();
    var prometheus = metric.provider == null ? null : metric.provider.prometheus;
    if (prometheus != null) {
      find(prometheus.query, used);
      find(prometheus.address, used);
      if (prometheus.headers != null) {
        prometheus.headers.forEach(h -> find(h.value, used));
      }
    }
    if (metric.minSamples != null) {
      find(metric.minSamples.query, used);
    }
    return used;
  }

  private static void find(String text, Set<String> into) {
    if (text == null) {
      return;
    }
    Matcher m = PLACEHOLDER.matcher(text);
    while (m.find()) {
      into.add(m.group(1));
    }
  }
}
