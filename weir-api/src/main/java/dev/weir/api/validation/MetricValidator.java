package dev.weir.api.validation;

import dev.weir.api.v1alpha1.Durations;
import dev.weir.api.v1alpha1.Metric;
import dev.weir.api.v1alpha1.MetricComparison;
import dev.weir.api.v1alpha1.PrometheusMetric;
import dev.weir.api.v1alpha1.SpecProblem;
import io.fabric8.kubernetes.api.model.IntOrString;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Checks one metric as it will be measured: durations parse, conditions compile to a bool over
 * {@code result}, the provider is complete. Field names are relative to the metric.
 */
public final class MetricValidator {

  private MetricValidator() {}

  /** A confidence of 1 would need a p-value of 0: no sample ever fails. */
  private static final double MAX_CONFIDENCE = 0.9999;

  /**
   * Headers the HTTP client sets itself, or Weir does for the query it sends: one from a template
   * would be refused at each measurement, or would break the request.
   */
  private static final Set<String> RESERVED_HEADERS =
      Set.of("connection", "content-length", "content-type", "expect", "host", "upgrade");

  /** A header name is an HTTP token (RFC 9110). */
  private static final Pattern TOKEN = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");

  public static void validate(String field, Metric metric, List<SpecProblem> problems) {
    if (metric.name == null || metric.name.isBlank()) {
      problems.add(new SpecProblem(field + ".name", "is required"));
    } else if (metric.name.length() > Metric.MAX_NAME_LENGTH) {
      problems.add(
          new SpecProblem(
              field + ".name",
              "is "
                  + metric.name.length()
                  + " characters long, at most "
                  + Metric.MAX_NAME_LENGTH));
    }
    // Measured on every reconcile otherwise, without end in the background.
    positive(field + ".interval", metric.interval, Duration.ofSeconds(1), problems);
    duration(field + ".initialDelay", metric.initialDelay, problems);
    if (metric.measurementRetention != null
        && metric.measurementRetention > Metric.MAX_MEASUREMENT_RETENTION) {
      problems.add(
          new SpecProblem(
              field + ".measurementRetention",
              metric.measurementRetention
                  + " is more than "
                  + Metric.MAX_MEASUREMENT_RETENTION
                  + ": every kept measurement is part of the run's status"));
    }
    if (metric.compare != null) {
      comparison(field, metric, problems);
    } else if (metric.successCondition == null && metric.failureCondition == null) {
      problems.add(
          new SpecProblem(
              field, "one of successCondition, failureCondition or compare is required"));
    }
    condition(field + ".successCondition", metric.successCondition, problems);
    condition(field + ".failureCondition", metric.failureCondition, problems);
    if (metric.minSamples != null
        && (metric.minSamples.query == null || metric.minSamples.query.isBlank())) {
      problems.add(new SpecProblem(field + ".minSamples.query", "is required"));
    } else if (metric.minSamples != null) {
      promQl(field + ".minSamples.query", metric.minSamples.query, problems);
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
    } else {
      promQl(at + ".query", prometheus.query, problems);
    }
    if (prometheus.address != null && !prometheus.address.contains("{{")) {
      address(at + ".address", prometheus.address, problems);
    }
    positive(at + ".timeout", prometheus.timeout, Duration.ofMillis(1), problems);
    if (prometheus.rangeQuery != null) {
      positive(
          at + ".rangeQuery.lookback",
          prometheus.rangeQuery.lookback,
          Duration.ofSeconds(1),
          problems);
      // Prometheus refuses a step of zero ("zero or negative query resolution step widths").
      positive(
          at + ".rangeQuery.step", prometheus.rangeQuery.step, Duration.ofSeconds(1), problems);
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
    if (auth != null
        && auth.bearerToken != null
        && (blank(auth.bearerToken.getName()) || blank(auth.bearerToken.getKey()))) {
      problems.add(
          new SpecProblem(
              at + ".authentication.bearerToken", "the Secret's name and key are required"));
    }
    if (auth != null && auth.basicAuthSecret != null && blank(auth.basicAuthSecret.getName())) {
      problems.add(new SpecProblem(at + ".authentication.basicAuthSecret.name", "is required"));
    }
    headers(at, prometheus, problems);
  }

  /** A metric judged by comparison: no conditions, a query per side, a window of points. */
  private static void comparison(String field, Metric metric, List<SpecProblem> problems) {
    String at = field + ".compare";
    if (metric.successCondition != null || metric.failureCondition != null) {
      problems.add(
          new SpecProblem(
              at, "judges the metric by itself: remove successCondition and failureCondition"));
    }
    var compare = metric.compare;
    if (compare.tolerance != null && !compare.tolerance.contains("{{")) {
      try {
        ComparisonTolerance.parse(compare.tolerance);
      } catch (IllegalArgumentException e) {
        problems.add(new SpecProblem(at + ".tolerance", e.getMessage()));
      }
    }
    if (compare.confidence != null
        && !(compare.confidence >= 0.5 && compare.confidence <= MAX_CONFIDENCE)) {
      problems.add(
          new SpecProblem(
              at + ".confidence",
              compare.confidence + " is not between 0.5 and " + MAX_CONFIDENCE));
    }
    if (compare.window == null) {
      problems.add(new SpecProblem(at + ".window", "is required"));
    }
    positive(at + ".window", compare.window, Duration.ofSeconds(1), problems);
    positive(at + ".step", compare.step, Duration.ofSeconds(1), problems);
    if (compare.minPoints != null && compare.minPoints < 3) {
      problems.add(
          new SpecProblem(
              at + ".minPoints",
              compare.minPoints
                  + " is too few: a rank test on fewer than 3 points decides nothing"));
    }
    var prometheus = metric.provider == null ? null : metric.provider.prometheus;
    if (prometheus != null && prometheus.rangeQuery != null) {
      problems.add(
          new SpecProblem(
              field + ".provider.prometheus.rangeQuery",
              "a metric judged by comparison takes its range from compare.window and"
                  + " compare.step"));
    }
    if (prometheus != null
        && prometheus.query != null
        && !prometheus.query.contains(MetricComparison.SIDE_PLACEHOLDER)) {
      problems.add(
          new SpecProblem(
              field + ".provider.prometheus.query",
              "must select the side with "
                  + MetricComparison.SIDE_PLACEHOLDER
                  + " (replaced by canary or baseline), or both sides would be the same series"));
    }
  }

  private static void headers(String at, PrometheusMetric prometheus, List<SpecProblem> problems) {
    if (prometheus.headers == null) {
      return;
    }
    var seen = new HashSet<String>();
    for (int i = 0; i < prometheus.headers.size(); i++) {
      String name = prometheus.headers.get(i).name;
      String field = at + ".headers[" + i + "].name";
      if (name == null || !TOKEN.matcher(name).matches()) {
        problems.add(new SpecProblem(field, "'" + name + "' is not an HTTP header name"));
      } else if (RESERVED_HEADERS.contains(name.toLowerCase(Locale.ROOT))) {
        problems.add(
            new SpecProblem(field, "'" + name + "' is set by Weir's HTTP client, not by a metric"));
      } else if (!seen.add(name.toLowerCase(Locale.ROOT))) {
        problems.add(new SpecProblem(field, "'" + name + "' is given twice"));
      } else if (name.equalsIgnoreCase("Authorization") && prometheus.authentication != null) {
        problems.add(
            new SpecProblem(
                field, "'Authorization' would be replaced by the credentials of authentication"));
      }
    }
  }

  private static void promQl(String field, String query, List<SpecProblem> problems) {
    PromQlSyntax.problem(query)
        .ifPresent(reason -> problems.add(new SpecProblem(field, "is not PromQL: " + reason)));
  }

  /** A duration that, when given, is at least {@code least}. */
  private static void positive(
      String field, IntOrString value, Duration least, List<SpecProblem> problems) {
    if (value == null || unfilled(value)) {
      return;
    }
    try {
      if (Durations.parse(value).compareTo(least) < 0) {
        problems.add(
            new SpecProblem(field, "'" + text(value) + "' is too short: at least " + shown(least)));
      }
    } catch (IllegalArgumentException e) {
      problems.add(new SpecProblem(field, e.getMessage()));
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
    if (value == null || unfilled(value)) {
      return;
    }
    try {
      Durations.parse(value);
    } catch (IllegalArgumentException e) {
      problems.add(new SpecProblem(field, e.getMessage()));
    }
  }

  /**
   * An {{args.NAME}} left in a setting: the template declares the arg without a value, and the
   * rollout that names it gives one; it is checked then.
   */
  private static boolean unfilled(IntOrString value) {
    return value.getStrVal() != null && value.getStrVal().contains("{{");
  }

  private static String shown(Duration duration) {
    return duration.toMillis() % 1000 == 0
        ? duration.toSeconds() + "s"
        : duration.toMillis() + "ms";
  }

  private static String text(IntOrString value) {
    return value.getIntVal() != null ? value.getIntVal().toString() : value.getStrVal();
  }

  private static boolean blank(String s) {
    return s == null || s.isBlank();
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
