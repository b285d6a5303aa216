package dev.weir.api.validation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.api.v1alpha1.AnalysisArgument;
import dev.weir.api.v1alpha1.AnalysisTemplate;
import dev.weir.api.v1alpha1.AnalysisTemplateSpec;
import dev.weir.api.v1alpha1.HttpHeader;
import dev.weir.api.v1alpha1.Metric;
import dev.weir.api.v1alpha1.PrometheusAuthentication;
import dev.weir.api.v1alpha1.PrometheusMetric;
import dev.weir.api.v1alpha1.RangeQuery;
import dev.weir.api.v1alpha1.SpecProblem;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LocalObjectReference;
import io.fabric8.kubernetes.api.model.SecretKeySelector;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Each rule of a metric checked on its own (the webhook's and {@code kubectl weir lint}'s view of a
 * template), applied to a template of the library: one mistake, one problem, named by its field.
 */
class AnalysisTemplateValidatorTest {

  private static final String METRIC = "spec.metrics[0]";
  private static final String PROMETHEUS = METRIC + ".provider.prometheus";

  /** analysis-templates/istio-success-rate.yaml: args with and without defaults, a guard query. */
  private static AnalysisTemplateSpec library() {
    try (InputStream in =
        Files.newInputStream(Path.of("analysis-templates/istio-success-rate.yaml"))) {
      return Serialization.unmarshal(in, AnalysisTemplate.class).getSpec();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Metric metric(AnalysisTemplateSpec spec) {
    return spec.metrics.get(0);
  }

  private static PrometheusMetric prometheus(AnalysisTemplateSpec spec) {
    return metric(spec).provider.prometheus;
  }

  private static void header(AnalysisTemplateSpec spec, String name, String value) {
    var header = new HttpHeader();
    header.name = name;
    header.value = value;
    if (prometheus(spec).headers == null) {
      prometheus(spec).headers = new ArrayList<>();
    }
    prometheus(spec).headers.add(header);
  }

  private static Arguments mistake(
      String what, Consumer<AnalysisTemplateSpec> change, String field, String message) {
    return Arguments.of(what, change, field, message);
  }

  static Stream<Arguments> mistakes() {
    return Stream.of(
        mistake(
            "an interval of 0s",
            s -> metric(s).interval = new IntOrString("0s"),
            METRIC + ".interval",
            "'0s' is too short: at least 1s"),
        mistake(
            "a query with an unclosed parenthesis",
            s -> prometheus(s).query = "sum(rate(http_requests_total[2m])",
            PROMETHEUS + ".query",
            "is not PromQL: '(' at 1:4 is never closed"),
        mistake(
            "a guard query with an unclosed string",
            s -> metric(s).minSamples.query = "sum(up{job=\"api})",
            METRIC + ".minSamples.query",
            "is not PromQL: the string opened at 1:12 is never closed"),
        mistake(
            "a timeout of 0s",
            s -> prometheus(s).timeout = new IntOrString("0s"),
            PROMETHEUS + ".timeout",
            "too short"),
        mistake(
            "a range query of step 0",
            s -> {
              prometheus(s).rangeQuery = new RangeQuery();
              prometheus(s).rangeQuery.lookback = new IntOrString("10m");
              prometheus(s).rangeQuery.step = new IntOrString(0);
            },
            PROMETHEUS + ".rangeQuery.step",
            "'0' is too short: at least 1s"),
        mistake(
            "a header name with spaces",
            s -> header(s, "X Scope OrgID", "tenant-a"),
            PROMETHEUS + ".headers[0].name",
            "'X Scope OrgID' is not an HTTP header name"),
        mistake(
            "a Host header",
            s -> header(s, "Host", "prometheus.other"),
            PROMETHEUS + ".headers[0].name",
            "set by Weir's HTTP client"),
        mistake(
            "one header twice",
            s -> {
              header(s, "X-Scope-OrgID", "tenant-a");
              header(s, "x-scope-orgid", "tenant-b");
            },
            PROMETHEUS + ".headers[1].name",
            "given twice"),
        mistake(
            "an Authorization header beside authentication",
            s -> {
              header(s, "Authorization", "Bearer abc");
              prometheus(s).authentication = new PrometheusAuthentication();
              prometheus(s).authentication.basicAuthSecret = new LocalObjectReference("creds");
            },
            PROMETHEUS + ".headers[0].name",
            "would be replaced by the credentials of authentication"),
        mistake(
            "a bearer token without its Secret's name",
            s -> {
              prometheus(s).authentication = new PrometheusAuthentication();
              prometheus(s).authentication.bearerToken = new SecretKeySelector("token", null, null);
            },
            PROMETHEUS + ".authentication.bearerToken",
            "name and key are required"),
        mistake(
            "basic auth without its Secret's name",
            s -> {
              prometheus(s).authentication = new PrometheusAuthentication();
              prometheus(s).authentication.basicAuthSecret = new LocalObjectReference();
            },
            PROMETHEUS + ".authentication.basicAuthSecret.name",
            "required"),
        mistake(
            "a metric name of 254 characters",
            s -> metric(s).name = "m".repeat(254),
            METRIC + ".name",
            "is 254 characters long, at most 253"),
        mistake(
            "101 measurements kept",
            s -> metric(s).measurementRetention = 101,
            METRIC + ".measurementRetention",
            "101 is more than 100"));
  }

  @ParameterizedTest(name = "{0} -> {2}")
  @MethodSource("mistakes")
  void eachMistakeIsNamedByItsField(
      String what, Consumer<AnalysisTemplateSpec> change, String field, String message) {
    var spec = library();
    change.accept(spec);

    var problems = AnalysisTemplateValidator.check(spec);

    assertThat(problems).extracting(SpecProblem::field).containsExactly(field);
    assertThat(problems.get(0).message()).contains(message);
  }

  @Test
  void aTemplateOfTheLibraryHasNoProblem() {
    assertThat(AnalysisTemplateValidator.check(library())).isEmpty();
  }

  @Test
  void settingsWhoseArgsOnlyARolloutGivesAreLeftToTheRollout() {
    var spec = library();
    for (AnalysisArgument arg : List.copyOf(spec.args)) {
      if (List.of("interval", "count", "initial-delay").contains(arg.name)) {
        arg.value = null;
      }
    }

    assertThat(AnalysisTemplateValidator.check(spec)).isEmpty();
  }
}
