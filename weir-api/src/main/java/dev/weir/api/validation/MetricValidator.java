package dev.weir.api.validation;

import dev.weir.api.v1alpha1.Durations;
import dev.weir.api.v1alpha1.Metric;
import dev.weir.api.v1alpha1.SpecProblem;
import io.fabric8.kubernetes.api.model.IntOrString;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;

/**
 * Checks one metric as it will be measured: durations parse, conditions compile to a bool over
 * {@code result}, the provider is complete. Field names are relative to the metric.
 */
public final class MetricValidator {

  private MetricValidator() {}

  public static void validate(String field, Metric metric, List<SpecProblem> problems) {
    if (metric.name == null || metric.name.isBlank()) {
      problems.add(new SpecProblem(field + ".name", "is required"));
    }
    duration(field + ".interval", metric.interval, problems);
    duration(field + ".initialDelay", metric.initialDelay, problems);
    if (metric.successCondition == null && metric.failureCondition == null) {
      problems.add(
          new SpecProblem(field, "one of successCondition or failureCondition is required"));
    }
    condition(field + ".successCondition", metric.successCondition, problems);
    condition(field + ".failureCondition", metric.failureCondition, problems);
    if (metric.minSamples != null
        && (metric.minSamples.query == null || metric.minSamples.query.isBlank())) {
      problems.add(new SpecProblem(field + ".minSamples.query", "is required"));
    }
    if (metric.minSamples != null && metric.minSamples.threshold == null) {
      problems.add(new SpecProblem(field + ".minSamples.threshold", "is required"));
    }
    var prometheus = metric.provider == null ? null : metric.provider.prometheus;
    if (prometheus == null) {
      problems.add(new SpecProblem(field + ".provider", "prometheus is required"));
      return;
    }
    String at = field + ".provider.prometheus";
    if (prometheus.query == null || prometheus.query.isBlank()) {
      problems.add(new SpecProblem(at + ".query", "is required"));
    }
    if (prometheus.address != null && !prometheus.address.contains("{{")) {
      address(at + ".address", prometheus.address, problems);
    }
    duration(at + ".timeout", prometheus.timeout, problems);
    if (prometheus.rangeQuery != null) {
      duration(at + ".rangeQuery.lookback", prometheus.rangeQuery.lookback, problems);
      duration(at + ".rangeQuery.step", prometheus.rangeQuery.step, problems);
      if (prometheus.rangeQuery.step == null) {
        problems.add(new SpecProblem(at + ".rangeQuery.step", "is required"));
      }
      if (prometheus.rangeQuery.lookback == null) {
        problems.add(new SpecProblem(at + ".rangeQuery.lookback", "is required"));
      }
    }
    var auth = prometheus.authentication;
    if (auth != null && auth.bearerToken != null && auth.basicAuthSecret != null) {
      problems.add(
          new SpecProblem(at + ".authentication", "set bearerToken or basicAuthSecret, not both"));
    }
  }

  private static void condition(String field, String expression, List<SpecProblem> problems) {
    if (expression == null || expression.contains("{{")) {
      // An arg left unfilled is reported where it is filled in; CEL would only add noise.
      return;
    }
    try {
      MetricCondition.compile(expression);
    } catch (MetricCondition.InvalidCondition e) {
      problems.add(new SpecProblem(field, "'" + expression + "' " + e.getMessage()));
    }
  }

  private static void duration(String field, IntOrString value, List<SpecProblem> problems) {
    if (value == null) {
      return;
    }
    try {
      Durations.parse(value);
    } catch (IllegalArgumentException e) {
      problems.add(new SpecProblem(field, e.getMessage()));
    }
  }

  private static void address(String field, String address, List<SpecProblem> problems) {
    try {
      URI uri = new URI(address);
      if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme())
          || uri.getHost() == null) {
        problems.add(new SpecProblem(field, "'" + address + "' is not an http(s) URL"));
      }
    } catch (URISyntaxException e) {
      problems.add(new SpecProblem(field, "'" + address + "' is not a URL: " + e.getReason()));
    }
  }
}
