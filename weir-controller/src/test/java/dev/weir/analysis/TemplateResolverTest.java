package dev.weir.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.api.v1alpha1.AnalysisArgument;
import dev.weir.api.v1alpha1.AnalysisTemplateSpec;
import dev.weir.api.v1alpha1.Metric;
import dev.weir.api.v1alpha1.RolloutAnalysis;
import dev.weir.api.v1alpha1.SpecProblem;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * An analysis of a rollout turned into the metrics and args of a run: templates and their includes
 * read, args merged (template defaults, then the rollout's values), {{args.NAME}} filled into the
 * settings; and every mistake reported as a problem naming the rollout's field, the template and
 * the metric, so that the InvalidSpec condition says where to look.
 */
class TemplateResolverTest {

  private static final String NAMESPACE = "shop";
  private static final String FIELD = "spec.strategy.canary.steps[1].analysis";
  private static final String SUCCESS_RATE =
      FIELD + ".templates[0] (AnalysisTemplate success-rate).metrics[0] (success-rate)";

  /** The templates of namespace shop, and the cluster's, as a user applies them. */
  private final Map<String, AnalysisTemplateSpec> namespaced = new HashMap<>();

  private final Map<String, AnalysisTemplateSpec> clusterScoped = new HashMap<>();

  private final TemplateLookup lookup =
      new TemplateLookup() {
        @Override
        public Optional<AnalysisTemplateSpec> namespaced(String namespace, String name) {
          return Optional.ofNullable(namespaced.get(namespace + "/" + name));
        }

        @Override
        public Optional<AnalysisTemplateSpec> clusterScoped(String name) {
          return Optional.ofNullable(clusterScoped.get(name));
        }
      };

  private final TemplateResolver resolver = new TemplateResolver(lookup);

  TemplateResolverTest() {
    template(
        "success-rate",
        """
        args:
          - name: service
          - name: threshold
            value: "0.99"
          - name: interval
            value: 30s
          - name: count
            value: "4"
        metrics:
          - name: success-rate
            interval: "{{args.interval}}"
            count: "{{args.count}}"
            failureLimit: 1
            successCondition: "result[0] >= {{ args.threshold }}"
            provider:
              prometheus:
                query: sum(rate(requests_total{service="{{args.service}}-canary",code!~"5.."}[2m])) / sum(rate(requests_total{service="{{args.service}}-canary"}[2m]))
        """);
    clusterTemplate(
        "latency",
        """
        args:
          - name: service
          - name: p99
            value: "0.5"
          - name: timeout
            value: 10s
        metrics:
          - name: latency
            failureCondition: "result[0] > {{args.p99}}"
            provider:
              prometheus:
                timeout: "{{args.timeout}}"
                query: histogram_quantile(0.99, sum by (le) (rate(latency_bucket{service="{{args.service}}-canary"}[2m])))
        """);
    template(
        "canary-health",
        """
        args:
          - name: service
          - name: threshold
            value: "0.95"
        metrics:
          - name: pods-ready
            successCondition: result[0] == 1.0
            provider:
              prometheus:
                query: min(kube_pod_ready{pod=~"{{args.service}}-.*"})
        templates:
          - templateName: success-rate
          - templateName: latency
            clusterScope: true
        """);
    template("loop-a", "templates: [{templateName: loop-b}]");
    template("loop-b", "templates: [{templateName: loop-a}]");
    template("self", "templates: [{templateName: self}]");
    template("includes-missing", "templates: [{templateName: nowhere}]");
    template("empty", "args: [{name: service}]");
    template(
        "also-success-rate",
        """
        metrics:
          - name: success-rate
            successCondition: result[0] > 0
            provider: {prometheus: {query: up}}
        """);
    template(
        "undeclared",
        """
        args: [{name: service}]
        metrics:
          - name: requests
            successCondition: result[0] > 0
            provider: {prometheus: {query: "sum(rate(requests_total{service=\\"{{args.nope}}\\"}[2m]))"}}
        """);
    template(
        "declared-twice",
        """
        args: [{name: service}, {name: service, value: cart}]
        metrics:
          - name: up
            successCondition: result[0] > 0
            provider: {prometheus: {query: "up{service=\\"{{args.service}}\\"}"}}
        """);
  }

  private void template(String name, String yaml) {
    namespaced.put(
        NAMESPACE + "/" + name, Serialization.unmarshal(yaml, AnalysisTemplateSpec.class));
  }

  private void clusterTemplate(String name, String yaml) {
    clusterScoped.put(name, Serialization.unmarshal(yaml, AnalysisTemplateSpec.class));
  }

  private TemplateResolver.Resolution resolve(String analysisYaml) {
    // A leading comment keeps a flow mapping ({templates: ...}) from being read as JSON.
    var analysis = Serialization.unmarshal("# analysis\n" + analysisYaml, RolloutAnalysis.class);
    return resolver.resolve(FIELD, analysis, NAMESPACE);
  }

  private ResolvedAnalysis resolved(String analysisYaml) {
    var resolution = resolve(analysisYaml);
    assertThat(resolution.problems()).isEmpty();
    return resolution.analysis().orElseThrow();
  }

  private static Metric metric(ResolvedAnalysis analysis, String name) {
    return analysis.metrics().stream().filter(m -> name.equals(m.name)).findFirst().orElseThrow();
  }

  private static Map<String, String> values(ResolvedAnalysis analysis) {
    var values = new LinkedHashMap<String, String>();
    analysis.args().forEach(a -> values.put(a.name, a.value));
    return values;
  }

  // --- what a run is made of ---

  @Test
  void aTemplateBecomesTheMetricsOfTheRunWithItsSettingsFilledIn() {
    var analysis =
        resolved(
            """
            templates: [{templateName: success-rate}]
            args: [{name: service, value: checkout}]
            """);

    var metric = metric(analysis, "success-rate");
    assertThat(analysis.metrics()).hasSize(1);
    assertThat(metric.interval).isEqualTo(new IntOrString("30s"));
    assertThat(metric.count).isEqualTo(new IntOrString("4"));
    assertThat(metric.successCondition).isEqualTo("result[0] >= 0.99");
    assertThat(metric.failureLimit).isEqualTo(1);
    // Queries keep their args until each measurement: they may use Secret-backed values.
    assertThat(metric.provider.prometheus.query).contains("{{args.service}}-canary");
    assertThat(values(analysis))
        .containsExactly(
            Map.entry("service", "checkout"),
            Map.entry("threshold", "0.99"),
            Map.entry("interval", "30s"),
            Map.entry("count", "4"));
  }

  @ParameterizedTest(name = "args {0} -> interval {1}, count {2}, [{3}]")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '"',
      textBlock =
          """
          # rollout args                                         | interval | count | successCondition
          {name: service, value: cart}                           | 30s      | 4     | result[0] >= 0.99
          {name: service, value: cart}, {name: threshold, value: "0.999"} | 30s | 4 | result[0] >= 0.999
          {name: service, value: cart}, {name: interval, value: 1m}, {name: count, value: "10"} | 1m | 10 | result[0] >= 0.99
          {name: count, value: " 2 "}, {name: service, value: cart}  | 30s   | " 2 " | result[0] >= 0.99
          """)
  void theRolloutsArgsOverrideTheTemplatesDefaults(
      String args, String interval, String count, String condition) {
    var analysis = resolved("templates: [{templateName: success-rate}]\nargs: [" + args + "]");

    var metric = metric(analysis, "success-rate");
    assertThat(metric.interval.getStrVal()).isEqualTo(interval);
    assertThat(metric.count.getStrVal()).isEqualTo(count);
    assertThat(metric.successCondition).isEqualTo(condition);
  }

  @Test
  void metricsWrittenInTheAnalysisRunBesideTheTemplatesWithTheirArgsFilledIn() {
    var analysis =
        resolved(
            """
            templates: [{templateName: success-rate}]
            metrics:
              - name: p99-latency
                interval: "{{args.interval}}"
                successCondition: "result[0] < 500"
                provider:
                  prometheus:
                    address: http://prometheus:9090
                    query: p99{service="{{args.service}}"}
            args:
              - {name: service, value: checkout}
              - {name: interval, value: 10s}
            """);

    assertThat(analysis.metrics())
        .extracting(m -> m.name)
        .containsExactly("success-rate", "p99-latency");
    assertThat(metric(analysis, "p99-latency").interval).isEqualTo(new IntOrString("10s"));
    assertThat(metric(analysis, "p99-latency").provider.prometheus.query)
        .isEqualTo("p99{service=\"{{args.service}}\"}");
    assertThat(analysis.fields().get(1)).isEqualTo(FIELD + ".metrics[0] (p99-latency)");
  }

  @Test
  void aMetricWrittenInTheAnalysisIsNamedAtItsPlaceWhenWrong() {
    var resolution =
        resolve(
            """
            metrics:
              - name: p99-latency
                interval: 0s
                successCondition: "result[0] < 500"
                provider: {prometheus: {address: http://prometheus:9090, query: "p99{service=\\"{{args.service}}\\"}"}}
            args: [{name: service, value: checkout}, {name: unused, value: x}]
            """);

    assertThat(resolution.analysis()).isEmpty();
    assertThat(resolution.problems())
        .extracting(SpecProblem::field)
        .containsExactlyInAnyOrder(
            FIELD + ".metrics[0] (p99-latency).interval", FIELD + ".args[1]");
  }

  @Test
  void includedTemplatesAddTheirMetricsAndArgs() {
    var analysis =
        resolved(
            """
            templates: [{templateName: canary-health}]
            args: [{name: service, value: checkout}]
            """);

    assertThat(analysis.metrics())
        .extracting(m -> m.name)
        .containsExactly("pods-ready", "success-rate", "latency");
    assertThat(metric(analysis, "latency").failureCondition).isEqualTo("result[0] > 0.5");
    assertThat(metric(analysis, "latency").provider.prometheus.timeout)
        .isEqualTo(new IntOrString("10s"));
    // The including template's default (0.95) wins over the included one's (0.99).
    assertThat(metric(analysis, "success-rate").successCondition).isEqualTo("result[0] >= 0.95");
    assertThat(values(analysis))
        .containsExactly(
            Map.entry("service", "checkout"),
            Map.entry("threshold", "0.95"),
            Map.entry("interval", "30s"),
            Map.entry("count", "4"),
            Map.entry("p99", "0.5"),
            Map.entry("timeout", "10s"));
  }

  @Test
  void anArgWithoutAValueTakesTheIncludedTemplatesDefault() {
    template(
        "strict",
        """
        args: [{name: threshold}, {name: service}]
        templates: [{templateName: success-rate}]
        """);

    var analysis =
        resolved(
            """
            templates: [{templateName: strict}]
            args: [{name: service, value: checkout}]
            """);

    assertThat(metric(analysis, "success-rate").successCondition).isEqualTo("result[0] >= 0.99");
  }

  @Test
  void templatesFromTwoReferencesAddUp() {
    var analysis =
        resolved(
            """
            templates:
              - templateName: success-rate
              - templateName: latency
                clusterScope: true
            args: [{name: service, value: checkout}, {name: p99, value: "0.3"}]
            """);

    assertThat(analysis.metrics())
        .extracting(m -> m.name)
        .containsExactly("success-rate", "latency");
    assertThat(metric(analysis, "latency").failureCondition).isEqualTo("result[0] > 0.3");
  }

  @Test
  void aSecretBackedArgKeepsItsReferenceForTheRun() {
    var analysis =
        resolved(
            """
            templates: [{templateName: success-rate}]
            args:
              - name: service
                valueFrom: {secretKeyRef: {name: shop-analysis, key: service}}
            """);

    AnalysisArgument service =
        analysis.args().stream().filter(a -> a.name.equals("service")).findFirst().orElseThrow();
    assertThat(service.value).isNull();
    assertThat(service.valueFrom.secretKeyRef.getName()).isEqualTo("shop-analysis");
  }

  @Test
  void eachRunGetsItsOwnCopyAndTheTemplateStaysAsWritten() {
    var fast =
        resolved(
            """
            templates: [{templateName: success-rate}]
            args: [{name: service, value: cart}, {name: interval, value: 5s}]
            """);
    var slow =
        resolved(
            """
            templates: [{templateName: success-rate}]
            args: [{name: service, value: cart}, {name: interval, value: 5m}]
            """);

    assertThat(metric(fast, "success-rate").interval).isEqualTo(new IntOrString("5s"));
    assertThat(metric(slow, "success-rate").interval).isEqualTo(new IntOrString("5m"));
    assertThat(namespaced.get("shop/success-rate").metrics.get(0).interval)
        .isEqualTo(new IntOrString("{{args.interval}}"));
  }

  // --- mistakes in the analysis and its templates ---

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '"',
      textBlock =
          """
          # what                     | rollout's analysis                                                   | field                                                   | message
          unknown template           | templates: [{templateName: nowhere}]                                 | .templates[0]                                            | AnalysisTemplate nowhere not found in namespace shop
          unknown cluster template   | templates: [{templateName: success-rate, clusterScope: true}]         | .templates[0]                                            | ClusterAnalysisTemplate success-rate not found
          template without a name    | templates: [{clusterScope: true}]                                    | .templates[0].templateName                               | is required
          blank template name        | templates: [{templateName: " "}]                                     | .templates[0].templateName                               | is required
          templates in a loop        | templates: [{templateName: loop-a}]                                  | .templates[0] (AnalysisTemplate loop-a).templates[0] (AnalysisTemplate loop-b).templates[0] | templates include each other: AnalysisTemplate loop-a → AnalysisTemplate loop-b
          template including itself  | templates: [{templateName: self}]                                    | .templates[0] (AnalysisTemplate self).templates[0]       | templates include each other: AnalysisTemplate self
          unknown included template  | templates: [{templateName: includes-missing}]                        | .templates[0] (AnalysisTemplate includes-missing).templates[0] | AnalysisTemplate nowhere not found in namespace shop
          template without metrics   | templates: [{templateName: empty}], args: [{name: service, value: a}] | .templates[0]                                           | AnalysisTemplate empty has no metrics
          metric in two templates    | templates: [{templateName: success-rate}, {templateName: also-success-rate}], args: [{name: service, value: a}] | .templates | metric 'success-rate' is defined more than once
          same template twice        | templates: [{templateName: success-rate}, {templateName: success-rate}], args: [{name: service, value: a}] | .templates | metric 'success-rate' is defined more than once
          arg no template declares   | templates: [{templateName: success-rate}], args: [{name: service, value: a}, {name: colour, value: blue}] | .args[1] | 'colour' is not an arg of the templates [service, threshold, interval, count]
          arg without a value        | templates: [{templateName: success-rate}]                            | .args                                                    | arg 'service' needs a value or valueFrom
          arg emptied by the rollout | templates: [{templateName: success-rate}], args: [{name: service, value: a}, {name: threshold}] | .args | arg 'threshold' needs a value or valueFrom
          arg given twice            | templates: [{templateName: success-rate}], args: [{name: service, value: a}, {name: service, value: b}] | .args[1].name | 'service' is given twice
          arg without a name         | templates: [{templateName: success-rate}], args: [{name: service, value: a}, {value: b}] | .args[1].name | is required
          arg with value and source  | templates: [{templateName: success-rate}], args: [{name: service, value: a, valueFrom: {fieldRef: {fieldPath: metadata.name}}}] | .args[0] | set either value or valueFrom, not both
          arg with an empty source   | templates: [{templateName: success-rate}], args: [{name: service, valueFrom: {}}] | .args[0].valueFrom | exactly one of secretKeyRef, fieldRef, podTemplateHashValue must be set
          secret without a key       | templates: [{templateName: success-rate}], args: [{name: service, valueFrom: {secretKeyRef: {name: s}}}] | .args[0].valueFrom.secretKeyRef | name and key are required
          query uses an unknown arg  | templates: [{templateName: undeclared}], args: [{name: service, value: a}] | .templates                                    | metric 'requests' uses {{args.nope}}, which no arg declares
          template declares an arg twice | templates: [{templateName: declared-twice}], args: [{name: service, value: a}] | .templates[0] (AnalysisTemplate declared-twice).args[1].name | 'service' is given twice
          """)
  void aMistakeInTheAnalysisIsAProblemNamingItsField(
      String what, String analysis, String field, String message) {
    var resolution = resolve("{" + analysis + "}");

    assertThat(resolution.analysis()).isEmpty();
    assertThat(resolution.problems()).contains(new SpecProblem(FIELD + field, message));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '"',
      textBlock =
          """
          # what                       | rollout's args                                          | field              | message
          interval that is no duration | {name: interval, value: soon}                           | .interval          | 'soon' is not a duration
          count of zero                | {name: count, value: "0"}                               | .count             | must be at least 1
          count that is no number      | {name: count, value: many}                              | .count             | 'many' is not a number
          threshold that is no number  | {name: threshold, value: high}                          | .successCondition  | 'result[0] >= high' at 1:14: undeclared reference to 'high'
          threshold from a Secret      | {name: threshold, valueFrom: {secretKeyRef: {name: s, key: t}}} | .successCondition | uses {{args.threshold}}, which needs a value (not valueFrom)
          interval from a field        | {name: interval, valueFrom: {fieldRef: {fieldPath: metadata.name}}} | .interval | uses {{args.interval}}, which needs a value (not valueFrom)
          """)
  void anArgThatMakesASettingWrongIsNamedAtTheSettingOfTheMetric(
      String what, String arg, String field, String message) {
    var resolution =
        resolve(
            "{templates: [{templateName: success-rate}], args: [{name: service, value: a}, "
                + arg
                + "]}");

    assertThat(resolution.analysis()).isEmpty();
    assertThat(resolution.problems())
        .anySatisfy(
            p -> {
              assertThat(p.field()).isEqualTo(SUCCESS_RATE + field);
              assertThat(p.message()).startsWith(message);
            });
  }

  @Test
  void aConditionUsingAnUndeclaredArgSaysNoArgDeclaresIt() {
    template(
        "typo-in-arg",
        """
        args: [{name: threshold, value: "0.99"}]
        metrics:
          - name: success-rate
            successCondition: "result[0] >= {{args.treshold}}"
            provider: {prometheus: {query: up}}
        """);

    var resolution = resolve("{templates: [{templateName: typo-in-arg}]}");

    assertThat(resolution.problems())
        .anySatisfy(
            p -> {
              assertThat(p.field()).endsWith("(success-rate).successCondition");
              assertThat(p.message()).contains("{{args.treshold}}").contains("no arg declares");
            });
  }

  // --- mistakes in a metric (MetricValidator, MetricSettings) ---

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '"',
      textBlock =
          """
          # what                        | metric                                                                                      | field                                 | message
          no condition                  | {name: m, provider: {prometheus: {query: up}}}                                              |                                       | one of successCondition, failureCondition or compare is required
          successCondition typo         | {name: m, successCondition: "result[0] >=", provider: {prometheus: {query: up}}}            | .successCondition                     | 'result[0] >=' at 1:13: mismatched input '<EOF>'
          failureCondition typo         | {name: m, failureCondition: "reslt[0] > 1", provider: {prometheus: {query: up}}}            | .failureCondition                     | 'reslt[0] > 1' at 1:1: undeclared reference to 'reslt'
          condition not a bool          | {name: m, successCondition: "result[0] * 100.0", provider: {prometheus: {query: up}}}       | .successCondition                     | expected type 'bool' but found 'double'
          interval no duration          | {name: m, interval: 30 secs, successCondition: "true", provider: {prometheus: {query: up}}} | .interval                             | '30 secs' is not a duration
          negative initialDelay         | {name: m, initialDelay: -5, successCondition: "true", provider: {prometheus: {query: up}}}  | .initialDelay                         | must not be negative, was -5
          initialDelay over a year      | {name: m, initialDelay: 9000h, successCondition: "true", provider: {prometheus: {query: up}}} | .initialDelay                       | must not exceed 365 days (8760h)
          count zero                    | {name: m, count: 0, successCondition: "true", provider: {prometheus: {query: up}}}          | .count                                | must be at least 1
          count no number               | {name: m, count: often, successCondition: "true", provider: {prometheus: {query: up}}}      | .count                                | 'often' is not a number
          no provider                   | {name: m, successCondition: "true"}                                                         | .provider                             | prometheus is required
          no query                      | {name: m, successCondition: "true", provider: {prometheus: {address: "http://prom:9090"}}}  | .provider.prometheus.query            | is required
          blank query                   | {name: m, successCondition: "true", provider: {prometheus: {query: " "}}}                   | .provider.prometheus.query            | is required
          address without scheme        | {name: m, successCondition: "true", provider: {prometheus: {query: up, address: "prom:9090"}}} | .provider.prometheus.address       | 'prom:9090' is not an http(s) URL
          address not a URL             | {name: m, successCondition: "true", provider: {prometheus: {query: up, address: "http://prom 9090"}}} | .provider.prometheus.address | 'http://prom 9090' is not a URL: Illegal character in authority
          timeout no duration           | {name: m, successCondition: "true", provider: {prometheus: {query: up, timeout: 10 seconds}}} | .provider.prometheus.timeout        | '10 seconds' is not a duration
          range without step            | {name: m, successCondition: "true", provider: {prometheus: {query: up, rangeQuery: {lookback: 5m}}}} | .provider.prometheus.rangeQuery.step | is required
          compare with a condition      | {name: m, successCondition: "true", compare: {window: 2m}, provider: {prometheus: {query: "p{s='{{side}}'}"}}} | .compare            | judges the metric by itself: remove successCondition and failureCondition
          compare tolerance no number   | {name: m, compare: {window: 2m, tolerance: ten percent}, provider: {prometheus: {query: "p{s='{{side}}'}"}}} | .compare.tolerance     | 'ten percent' is not a tolerance: a percentage of the baseline's median (10%) or an amount of zero or more in the metric's unit (5)
          compare tolerance negative    | {name: m, compare: {window: 2m, tolerance: "-5%"}, provider: {prometheus: {query: "p{s='{{side}}'}"}}} | .compare.tolerance           | '-5%' is not a tolerance
          compare confidence of 1       | {name: m, compare: {window: 2m, confidence: 1}, provider: {prometheus: {query: "p{s='{{side}}'}"}}} | .compare.confidence             | 1.0 is not between 0.5 and 0.9999
          compare without window        | {name: m, compare: {}, provider: {prometheus: {query: "p{s='{{side}}'}"}}}                   | .compare.window                       | is required
          compare step no duration      | {name: m, compare: {window: 2m, step: often}, provider: {prometheus: {query: "p{s='{{side}}'}"}}} | .compare.step                     | 'often' is not a duration
          compare two points            | {name: m, compare: {window: 2m, minPoints: 2}, provider: {prometheus: {query: "p{s='{{side}}'}"}}} | .compare.minPoints             | 2 is too few
          compare with rangeQuery       | {name: m, compare: {window: 2m}, provider: {prometheus: {query: "p{s='{{side}}'}", rangeQuery: {lookback: 5m, step: 5s}}}} | .provider.prometheus.rangeQuery | takes its range from compare.window
          compare without side          | {name: m, compare: {window: 2m}, provider: {prometheus: {query: up}}}                        | .provider.prometheus.query            | must select the side with {{side}}
          range without lookback        | {name: m, successCondition: "true", provider: {prometheus: {query: up, rangeQuery: {step: 30s}}}} | .provider.prometheus.rangeQuery.lookback | is required
          minSamples without query      | {name: m, successCondition: "true", minSamples: {threshold: 20}, provider: {prometheus: {query: up}}} | .minSamples.query           | is required
          minSamples without threshold  | {name: m, successCondition: "true", minSamples: {query: up}, provider: {prometheus: {query: up}}} | .minSamples.threshold           | is required
          two kinds of credentials      | {name: m, successCondition: "true", provider: {prometheus: {query: up, authentication: {bearerToken: {name: t, key: token}, basicAuthSecret: {name: b}}}}} | .provider.prometheus.authentication | set bearerToken or basicAuthSecret, not both
          """)
  void aMistakeInAMetricIsNamedByTemplateMetricAndSetting(
      String what, String metric, String setting, String message) {
    template("checked", "metrics: [" + metric + "]");

    var resolution = resolve("{templates: [{templateName: checked}]}");

    assertThat(resolution.analysis()).isEmpty();
    assertThat(resolution.problems())
        .anySatisfy(
            p -> {
              assertThat(p.field())
                  .isEqualTo(
                      FIELD
                          + ".templates[0] (AnalysisTemplate checked).metrics[0] (m)"
                          + (setting == null ? "" : setting));
              assertThat(p.message()).contains(message);
            });
  }

  @Test
  void aMetricWithoutANameIsNamedByItsPlace() {
    template(
        "checked", "metrics: [{successCondition: \"true\", provider: {prometheus: {query: up}}}]");

    var resolution = resolve("{templates: [{templateName: checked}]}");

    assertThat(resolution.problems())
        .containsExactly(
            new SpecProblem(
                FIELD + ".templates[0] (AnalysisTemplate checked).metrics[0].name", "is required"));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '"',
      textBlock =
          """
          interval in seconds           | {name: m, interval: 30, count: 3, successCondition: "true", provider: {prometheus: {query: up}}}
          interval in Go style          | {name: m, interval: 1m30s, initialDelay: 500ms, successCondition: "true", provider: {prometheus: {query: up}}}
          count as text                 | {name: m, count: "5", successCondition: "true", provider: {prometheus: {query: up}}}
          address from an arg           | {name: m, successCondition: "true", provider: {prometheus: {query: up, address: "{{args.address}}"}}}
          https address                 | {name: m, successCondition: "true", provider: {prometheus: {query: up, address: "https://thanos.monitoring.svc:9090/prefix"}}}
          complete range query          | {name: m, successCondition: "result.all(x, x < 0.5)", provider: {prometheus: {query: up, timeout: 10s, rangeQuery: {lookback: 5m, step: 30s}}}}
          guarded                       | {name: m, successCondition: "true", minSamples: {query: "sum(up)", threshold: 0}, provider: {prometheus: {query: up}}}
          failureCondition only         | {name: m, failureCondition: "result[0] > 500", provider: {prometheus: {query: up}}}
          """)
  void aWellFormedMetricHasNoProblems(String what, String metric) {
    template(
        "checked",
        "args: [{name: address, value: \"http://prom:9090\"}]\nmetrics: [" + metric + "]");

    var resolution = resolve("{templates: [{templateName: checked}]}");

    assertThat(resolution.problems()).isEmpty();
    assertThat(resolution.analysis()).isPresent();
  }

  @Test
  void everyProblemIsReportedAtOnce() {
    template(
        "many-mistakes",
        """
        metrics:
          - name: m
            interval: soon
            successCondition: "result[0] >="
            provider: {prometheus: {}}
        """);

    var resolution =
        resolve("{templates: [{templateName: many-mistakes}, {templateName: nowhere}]}");

    assertThat(resolution.problems())
        .extracting(SpecProblem::field)
        .containsExactlyInAnyOrder(
            FIELD + ".templates[1]",
            FIELD + ".templates[0] (AnalysisTemplate many-mistakes).metrics[0] (m).interval",
            FIELD
                + ".templates[0] (AnalysisTemplate many-mistakes).metrics[0] (m).successCondition",
            FIELD
                + ".templates[0] (AnalysisTemplate many-mistakes).metrics[0] (m)"
                + ".provider.prometheus.query");
  }

  @Test
  void problemsListTheirFieldFirst() {
    var resolution = resolve("{templates: [{templateName: nowhere}]}");

    assertThat(resolution.problems())
        .extracting(SpecProblem::toString)
        .containsExactly(
            FIELD + ".templates[0]: AnalysisTemplate nowhere not found in namespace shop");
  }
}
