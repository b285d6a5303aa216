package dev.weir.cli.lint;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** {@code kubectl weir lint}: what it finds in manifests, and where. */
class ManifestLinterTest {

  /** A valid rollout; the cases below break one thing each. Line numbers count from 1. */
  static final String ROLLOUT =
      """
      apiVersion: weir.dev/v1alpha1
      kind: Rollout
      metadata:
        name: checkout
        namespace: shop
      spec:
        replicas: 5
        selector:
          matchLabels: {app: checkout}
        template:
          metadata:
            labels: {app: checkout}
          spec:
            containers:
              - name: app
                image: registry.example/checkout:2.4.1
        strategy:
          canary:
            stableService: checkout-stable
            canaryService: checkout-canary
            trafficRouting:
              istio:
                virtualService: {name: checkout, routes: [primary]}
            steps:
              - setWeight: 10
              - pause: {}
              - setWeight: 50
      """;

  static List<String> lint(String yaml) {
    var files = new LinkedHashMap<String, String>();
    files.put("r.yaml", yaml);
    var result = ManifestLinter.lint(files);
    return result.findings().stream().map(Finding::toString).toList();
  }

  static Stream<Arguments> brokenRollouts() {
    return Stream.of(
        Arguments.of(
            "a misspelt field, which the API server would drop",
            ROLLOUT.replace("- setWeight: 10", "- setWieght: 10"),
            List.of(
                "r.yaml:25:11: error: spec.strategy.canary.steps[0].setWieght: unknown field"
                    + " \"setWieght\": the API server drops it (did you mean \"setWeight\"?)")),
        Arguments.of(
            "a weight out of range (the schema says it, the validator is not repeated)",
            ROLLOUT.replace("setWeight: 50", "setWeight: 120"),
            List.of(
                "r.yaml:27:22: error: spec.strategy.canary.steps[2].setWeight: must be at most"
                    + " 100, was 120")),
        Arguments.of(
            "two actions in one step",
            ROLLOUT.replace("- setWeight: 50", "- setWeight: 50\n          pause: {}"),
            List.of(
                "r.yaml:27:11: error: spec.strategy.canary.steps[2]: exactly one of setWeight,"
                    + " pause, setCanaryScale, analysis, setHeaderRoute, setMirrorRoute must be set")),
        Arguments.of(
            "a duration that is none",
            ROLLOUT.replace("- pause: {}", "- pause: {duration: soon}"),
            List.of(
                "r.yaml:26:29: error: spec.strategy.canary.steps[1].pause.duration: 'soon' is not"
                    + " a duration (use seconds, or a number with h, m, s or ms: 1m30s)")),
        Arguments.of(
            "a string where a number belongs",
            ROLLOUT.replace("replicas: 5", "replicas: five"),
            List.of("r.yaml:7:13: error: spec.replicas: must be an integer, got a string (five)")),
        Arguments.of(
            "a selector the pods do not carry",
            ROLLOUT.replace("matchLabels: {app: checkout}", "matchLabels: {app: cart}"),
            List.of(
                "r.yaml:9:5: error: spec.selector.matchLabels: app=cart does not match"
                    + " spec.template.metadata.labels")),
        Arguments.of(
            "host-level routing without its Services",
            ROLLOUT.replace("      stableService: checkout-stable\n", ""),
            List.of(
                "r.yaml:18:5: error: spec.strategy.canary.stableService: is required with"
                    + " host-level Istio routing")),
        Arguments.of(
            "a Gateway API rule picked by name and by index",
            ROLLOUT.replace(
                "istio:\n          virtualService: {name: checkout, routes: [primary]}",
                "gatewayAPI:\n          httpRoute: {name: checkout, rule: primary, ruleIndex: 0}"),
            List.of(
                "r.yaml:23:65: error: spec.strategy.canary.trafficRouting.gatewayAPI.httpRoute"
                    + ".ruleIndex: set either rule or ruleIndex")),
        Arguments.of(
            "a Gateway API rule index below 0 (the schema says it)",
            ROLLOUT.replace(
                "istio:\n          virtualService: {name: checkout, routes: [primary]}",
                "gatewayAPI:\n          httpRoute: {name: checkout, ruleIndex: -1}"),
            List.of(
                "r.yaml:23:50: error: spec.strategy.canary.trafficRouting.gatewayAPI.httpRoute"
                    + ".ruleIndex: must be at least 0, was -1")),
        Arguments.of(
            "a weight that goes back down",
            ROLLOUT.replace("setWeight: 50", "setWeight: 5"),
            List.of(
                "r.yaml:27:22: warning: spec.strategy.canary.steps[2].setWeight: 5 is lower"
                    + " than the 10 of step 1: the canary's share of the traffic goes back"
                    + " down")),
        Arguments.of(
            "a pause written without its braces",
            ROLLOUT.replace("- pause: {}", "- pause:"),
            List.of(
                "r.yaml:26:11: error: spec.strategy.canary.steps[1]: exactly one of setWeight,"
                    + " pause, setCanaryScale, analysis, setHeaderRoute, setMirrorRoute must be set",
                "r.yaml:26:17: warning: spec.strategy.canary.steps[1].pause: is null, which the"
                    + " API server drops; write {} for an empty object, or leave the field out")),
        Arguments.of(
            "a name longer than the label value it becomes",
            ROLLOUT.replace("name: checkout\n", "name: checkout-" + "x".repeat(55) + "\n"),
            List.of(
                "r.yaml:4:9: error: metadata.name: is 64 characters long, at most 63: it labels"
                    + " the rollout's AnalysisRuns (weir.dev/rollout), and a label value holds no"
                    + " more")),
        Arguments.of(
            "a version the API server does not serve",
            ROLLOUT.replace("weir.dev/v1alpha1", "weir.dev/v1"),
            List.of(
                "r.yaml:1:13: error: apiVersion: weir.dev/v1 is not served: use weir.dev/v1alpha1")),
        Arguments.of(
            "broken YAML",
            ROLLOUT.replace("  replicas: 5", "  replicas: [5"),
            List.of("r.yaml:8:11: error: invalid YAML: expected ',' or ']', but got :")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("brokenRollouts")
  void findsAndPlaces(String what, String yaml, List<String> expected) {
    assertThat(lint(yaml)).containsExactlyElementsOf(expected);
  }

  @Test
  void theExamplesAreValid() throws IOException {
    var files = new LinkedHashMap<String, String>();
    // As a user lints them: the examples with the library of templates they name.
    for (String dir : new String[] {"examples", "analysis-templates"}) {
      try (var walk = Files.walk(Path.of(dir))) {
        for (Path p : walk.filter(p -> p.toString().endsWith(".yaml")).sorted().toList()) {
          files.put(p.toString(), Files.readString(p));
        }
      }
    }

    var result = ManifestLinter.lint(files);

    assertThat(result.findings()).isEmpty();
    assertThat(result.summaries())
        .contains("examples/canary-istio/rollout.yaml:2: Rollout shop/checkout: valid")
        .allMatch(s -> s.endsWith(": valid"));
    assertThat(result.failed()).isFalse();
  }

  @Test
  void positionsCountFromTheTopOfTheFileAcrossDocuments() {
    String service = "apiVersion: v1\nkind: Service\nmetadata: {name: other}\n---\n";

    assertThat(lint(service + ROLLOUT.replace("replicas: 5", "replicas: -1")))
        .containsExactly("r.yaml:11:13: error: spec.replicas: must be at least 0, was -1");
  }

  @Test
  void anInsecureMetricIsAWarningThatLeavesTheVerdictAlone() {
    var result =
        ManifestLinter.lint(
            Map.of(
                "t.yaml",
                """
                apiVersion: weir.dev/v1alpha1
                kind: AnalysisTemplate
                metadata: {name: success-rate, namespace: shop}
                spec:
                  metrics:
                    - name: success-rate
                      successCondition: "result[0] >= 0.99"
                      provider:
                        prometheus:
                          address: https://prometheus.monitoring:9090
                          query: vector(1)
                          insecure: true
                """));

    assertThat(result.findings().stream().map(Finding::toString))
        .containsExactly(
            "t.yaml:12:21: warning: spec.metrics[0].provider.prometheus.insecure: accepts any TLS"
                + " certificate and host name: whoever answers at the address reads the query and"
                + " its credentials; trust the server's CA instead (the controller's"
                + " weir.prometheus.tls.ca-file, the chart's prometheus.tls.caConfigMap)");
    assertThat(result.failed()).isFalse();
    assertThat(result.summaries())
        .containsExactly("t.yaml:1: AnalysisTemplate shop/success-rate: 0 errors, 1 warning");
  }

  @Test
  void anErrorRatioThatIsNoDataWhileNothingFailsIsAWarningWithTheFix() {
    var result =
        ManifestLinter.lint(
            Map.of(
                "t.yaml",
                """
                apiVersion: weir.dev/v1alpha1
                kind: AnalysisTemplate
                metadata: {name: error-rate, namespace: shop}
                spec:
                  metrics:
                    - name: error-rate
                      successCondition: "result[0] <= 0.01"
                      provider:
                        prometheus:
                          address: http://prometheus.monitoring:9090
                          query: >-
                            sum(rate(istio_requests_total{app="shop",response_code=~"5.*"}[1m]))
                            / sum(rate(istio_requests_total{app="shop"}[1m]))
                """));

    assertThat(result.findings().stream().map(Finding::toString))
        .containsExactly(
            "t.yaml:11:18: warning: spec.metrics[0].provider.prometheus.query: the numerator of"
                + " its ratio selects only the requests with response_code=~\"5.*\", which have"
                + " no series while there are none: the ratio is then no data (never a pass), not"
                + " 0; write the numerator as (sum(...) or vector(0)), as in:"
                + " (sum(rate(istio_requests_total{app=\"shop\",response_code=~\"5.*\"}[1m]))"
                + " or vector(0)) / sum(rate(istio_requests_total{app=\"shop\"}[1m]))");
    assertThat(result.failed()).isFalse();
  }

  @Test
  void kindsOfWeirWithoutACrdInThisBuildAreNotChecked() {
    var result =
        ManifestLinter.lint(
            Map.of(
                "t.yaml",
                "apiVersion: weir.dev/v1alpha1\nkind: Gauge\nmetadata: {name: g, namespace: shop}\n"));

    assertThat(result.findings().stream().map(Finding::toString))
        .containsExactly(
            "t.yaml:2:7: warning: kind: kind \"Gauge\" of weir.dev is not known to this version"
                + " of kubectl-weir: not checked");
    assertThat(result.failed()).isFalse();
  }

  @Test
  void aRolloutsTemplatesAreLookedForAmongThoseGivenWithTheArgumentsTheyNeed() {
    String withAnalysis =
        ROLLOUT.replace(
            "- setWeight: 50",
            "- analysis:\n"
                + "            templates: [{templateName: success-rate}, {templateName: latency}]\n"
                + "            args: [{name: service, value: checkout}]\n"
                + "        - setWeight: 50");
    String template =
        """
        ---
        apiVersion: weir.dev/v1alpha1
        kind: AnalysisTemplate
        metadata: {name: success-rate, namespace: shop}
        spec:
          args: [{name: service}, {name: threshold}, {name: window, value: 1m}]
        """;

    assertThat(lint(withAnalysis + template))
        .contains(
            "r.yaml:28:40: error: spec.strategy.canary.steps[2].analysis.templates[0].templateName:"
                + " template \"success-rate\" needs the argument \"threshold\", which"
                + " spec.strategy.canary.steps[2].analysis.args does not give",
            "r.yaml:28:70: warning: spec.strategy.canary.steps[2].analysis.templates[1].templateName:"
                + " AnalysisTemplate \"latency\" is not among the templates in the files given"
                + " (namespace shop)");
  }

  @Test
  void aTemplatesConditionsAreCompiledWithCelAndItsMistakesPlacedOnTheirLine() {
    String template =
        """
        apiVersion: weir.dev/v1alpha1
        kind: AnalysisTemplate
        metadata: {name: success-rate, namespace: shop}
        spec:
          args: [{name: service}, {name: threshold, value: "0.99"}, {name: limit}]
          metrics:
            - name: success-rate
              interval: 30s
              successCondition: "result[0] >= {{args.threshold}} &&"
              provider:
                prometheus: {query: "up{service='{{args.service}}'}"}
            - name: errors
              failureCondition: "result[0] > {{args.limit}}"
              interval: 1 minute
              provider:
                prometheus: {query: "errors{service='{{args.servce}}'}"}
        """;

    assertThat(lint(template))
        .containsExactly(
            "r.yaml:9:25: error: spec.metrics[0].successCondition: 'result[0] >= 0.99 &&' at 1:21:"
                + " mismatched input '<EOF>' expecting {'[', '{', '(', '.', '-', '!', 'true', 'false',"
                + " 'null', NUM_FLOAT, NUM_INT, NUM_UINT, STRING, BYTES, IDENTIFIER}",
            "r.yaml:14:17: error: spec.metrics[1].interval: '1 minute' is not a duration (use"
                + " seconds, or a number with h, m, s or ms: 1m30s)",
            "r.yaml:15:7: error: spec.metrics[1].provider: uses {{args.servce}}, which no arg"
                + " declares");
  }

  @Test
  void theLibraryTemplatesAreValid() throws IOException {
    var files = new LinkedHashMap<String, String>();
    try (var walk = Files.list(Path.of("analysis-templates"))) {
      for (Path p : walk.filter(p -> p.toString().endsWith(".yaml")).sorted().toList()) {
        files.put(p.toString(), Files.readString(p));
      }
    }

    var result = ManifestLinter.lint(files);

    assertThat(result.findings()).isEmpty();
    assertThat(result.summaries()).hasSize(5).allMatch(s -> s.endsWith(": valid"));
  }
}
