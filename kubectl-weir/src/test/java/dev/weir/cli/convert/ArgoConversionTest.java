package dev.weir.cli.convert;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.weir.cli.manifest.YamlDocuments;
import java.util.LinkedHashMap;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What does not carry over from Argo Rollouts, and what becomes of the rest. */
class ArgoConversionTest {

  static final String ROLLOUT =
      """
      apiVersion: argoproj.io/v1alpha1
      kind: Rollout
      metadata:
        name: guestbook
        namespace: shop
      spec:
        replicas: 4
        selector:
          matchLabels: {app: guestbook}
        template:
          metadata:
            labels: {app: guestbook}
          spec:
            containers: [{name: app, image: guestbook:1}]
        strategy:
          canary:
            canaryService: guestbook-canary
            stableService: guestbook-stable
            trafficRouting:
              istio:
                virtualService: {name: guestbook, routes: [primary]}
            analysis:
              templates: [{templateName: success-rate}]
              startingStep: 3
            steps:
            - setWeight: 20
            - pause: {}
            - setWeight: 40
            - pause: {duration: 10m}
      """;

  /** A Deployment whose pods are labelled app: NAME. */
  static String deployment(String name, String namespace, int replicas, String image) {
    return """
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: %s, namespace: %s}
        spec:
          replicas: %d
          selector: {matchLabels: {app: %s}}
          template:
            metadata: {labels: {app: %s}}
            spec: {containers: [{name: app, image: %s}]}
        """
        .formatted(name, namespace, replicas, name, name, image);
  }

  static ManifestConverter.Conversion convert(String... files) {
    var map = new LinkedHashMap<String, String>();
    for (int i = 0; i < files.length; i++) {
      map.put("in" + i + ".yaml", files[i]);
    }
    return ManifestConverter.convert(map);
  }

  static List<String> said(ManifestConverter.Conversion conversion) {
    return conversion.diagnostics().stream().map(Diagnostic::toString).toList();
  }

  static JsonNode object(ManifestConverter.Conversion conversion, String kind) {
    return conversion.objects().stream()
        .filter(c -> c.kind().equals(kind))
        .findFirst()
        .orElseThrow()
        .object();
  }

  @Test
  void whatMeansTheSameIsCopiedUnderWeirsGroup() throws Exception {
    var conversion = convert(ROLLOUT);

    assertThat(said(conversion)).isEmpty();
    JsonNode rollout = object(conversion, "Rollout");
    assertThat(rollout.path("apiVersion").asText()).isEqualTo("weir.dev/v1alpha1");
    assertThat(rollout.path("spec"))
        .isEqualTo(YamlDocuments.parse("in.yaml", ROLLOUT).get(0).value().path("spec"));
  }

  @Test
  void headerAndMirrorRouteStepsCarryOverAsTheyAreAndManagedRoutesGo() throws Exception {
    String withRoutes =
        ROLLOUT
            .replace(
                "      - setWeight: 20\n",
                """
                      - setHeaderRoute:
                          name: header-route
                          match:
                          - headerName: version
                            headerValue: {exact: "2"}
                      - setMirrorRoute:
                          name: mirror-route
                          percentage: 35
                          match:
                          - method: {exact: GET}
                            path: {prefix: /}
                      - setHeaderRoute: {name: header-route}
                      - setWeight: 20
                """)
            .replace(
                "      trafficRouting:\n",
                "      trafficRouting:\n"
                    + "        managedRoutes: [{name: header-route}, {name: mirror-route}]\n");
    var conversion = convert(withRoutes);

    assertThat(said(conversion))
        .containsExactly(
            "in0.yaml:20: warning: spec.strategy.canary.trafficRouting.managedRoutes: Weir names"
                + " the routes of setHeaderRoute and setMirrorRoute steps itself and orders them as"
                + " the steps first set them: left out");
    var source = YamlDocuments.parse("in.yaml", withRoutes).get(0).value();
    assertThat(
            object(conversion, "Rollout")
                .path("spec")
                .path("strategy")
                .path("canary")
                .path("steps"))
        .isEqualTo(source.path("spec").path("strategy").path("canary").path("steps"));
    assertThat(source.path("spec").path("strategy").path("canary").path("steps")).hasSize(7);
  }

  @Test
  void anotherTrafficRouterIsLeftOutAndScaleStepsWithIt() {
    var conversion =
        convert(
            ROLLOUT
                .replace(
                    "istio:\n          virtualService: {name: guestbook, routes: [primary]}",
                    "nginx:\n          stableIngress: guestbook")
                .replace("- setWeight: 40", "- setCanaryScale: {weight: 40}"));

    assertThat(said(conversion))
        .containsExactly(
            "in0.yaml:20: warning: spec.strategy.canary.trafficRouting.nginx: Weir routes traffic"
                + " with Istio (VirtualService weights) only: left out, so the canary's share of the"
                + " traffic is its share of the pods",
            "in0.yaml:24: note: spec.strategy.canary.analysis.startingStep: 3 is 2 once the steps"
                + " left out before it are gone: the analysis starts at the same step",
            "in0.yaml:28: warning: spec.strategy.canary.steps[2].setCanaryScale: without traffic"
                + " routing the canary's pods are its weight: the step is left out");
    JsonNode canary = object(conversion, "Rollout").at("/spec/strategy/canary");
    assertThat(canary.has("trafficRouting")).isFalse();
    assertThat(canary.path("steps")).hasSize(3);
  }

  @Test
  void dynamicStableScaleCarriesOverWithAMeshAndIsLeftOutWithoutOne() {
    String dynamic =
        ROLLOUT.replace(
            "stableService: guestbook-stable",
            "stableService: guestbook-stable\n      dynamicStableScale: true");

    var meshed = convert(dynamic);
    var unmeshed =
        convert(
            dynamic.replace(
                "istio:\n          virtualService: {name: guestbook, routes: [primary]}",
                "nginx:\n          stableIngress: guestbook"));

    assertThat(said(meshed)).isEmpty();
    assertThat(object(meshed, "Rollout").at("/spec/strategy/canary/dynamicStableScale").asBoolean())
        .isTrue();
    assertThat(said(unmeshed))
        .contains(
            "in0.yaml:19: warning: spec.strategy.canary.dynamicStableScale: without traffic routing"
                + " the stable side already gives up the pods the canary takes: left out");
    assertThat(object(unmeshed, "Rollout").at("/spec/strategy/canary").has("dynamicStableScale"))
        .isFalse();
  }

  @Test
  void stepsWeirLacksAreLeftOutWithTheirReason() {
    var conversion =
        convert(
            ROLLOUT.replace(
                "- pause: {}",
                "- experiment: {duration: 1h, templates: [{name: baseline, specRef: stable}]}\n"
                    + "      - plugin: {name: step-plugin}"));

    assertThat(said(conversion))
        .contains(
            "in0.yaml:24: note: spec.strategy.canary.analysis.startingStep: 3 is 1 once the steps"
                + " left out before it are gone: the analysis starts at the same step",
            "in0.yaml:27: warning: spec.strategy.canary.steps[1]: experiment: Weir runs no"
                + " experiments (baseline and canary ReplicaSets judged side by side): the step is"
                + " left out",
            "in0.yaml:28: warning: spec.strategy.canary.steps[2]: plugin: Weir has no step"
                + " plugins: the step is left out");
  }

  @Test
  void aFieldConvertDoesNotKnowIsLeftOutWithAWarning() {
    var conversion = convert(ROLLOUT.replace("replicas: 4", "replicas: 4\n  shinyNewField: 1"));

    assertThat(said(conversion))
        .containsExactly(
            "in0.yaml:8: warning: spec.shinyNewField: not a field of a Rollout's spec that convert"
                + " knows: left out");
  }

  @Test
  void aWorkloadRefTakesTheTemplateOfTheDeploymentGiven() {
    String rollout =
        ROLLOUT.replaceAll(
            "(?s)  selector:.*?image: guestbook:1\\}\\]\n",
            "  workloadRef: {apiVersion: apps/v1, kind: Deployment, name: guestbook}\n");
    String deployment = deployment("guestbook", "shop", 0, "guestbook:7");

    var withDeployment = convert(rollout, deployment);
    var without = convert(rollout);

    assertThat(withDeployment.objects()).extracting(Converted::kind).containsExactly("Rollout");
    assertThat(
            object(withDeployment, "Rollout").at("/spec/template/spec/containers/0/image").asText())
        .isEqualTo("guestbook:7");
    assertThat(object(withDeployment, "Rollout").at("/spec/selector/matchLabels/app").asText())
        .isEqualTo("guestbook");
    assertThat(withDeployment.warnings()).isZero();
    assertThat(said(without))
        .containsExactly(
            "in0.yaml:8: warning: spec.workloadRef: Weir takes the pod template from the Rollout"
                + " itself (workloadRef comes later): give the Deployment guestbook with -f to have"
                + " its template copied, or copy it into spec.template");
  }

  @Test
  void aMetricOfAnotherProviderIsLeftOutAndATemplateOfNothingElseToo() {
    var conversion =
        convert(
            """
            apiVersion: argoproj.io/v1alpha1
            kind: AnalysisTemplate
            metadata: {name: dd}
            spec:
              metrics:
              - name: errors
                successCondition: default(result, 0) < 0.05
                provider:
                  datadog: {query: "sum:requests.error.rate{service:x}"}
            """);

    assertThat(conversion.objects()).isEmpty();
    assertThat(said(conversion))
        .containsExactly(
            "in0.yaml:5: warning: spec.metrics: no metric of AnalysisTemplate dd carries over: the"
                + " template is left out, and analyses that name it are an InvalidSpec until it is"
                + " written again",
            "in0.yaml:9: warning: spec.metrics[0].provider.datadog: Weir measures with Prometheus"
                + " only: the metric is left out, and the analysis judges without it");
  }

  @Test
  void aConditionThatDoesNotTranslateIsKeptAsWrittenWithAWarning() {
    var conversion =
        convert(
            """
            apiVersion: argoproj.io/v1alpha1
            kind: AnalysisTemplate
            metadata: {name: latency}
            spec:
              metrics:
              - name: p99
                successCondition: default(result, 0) < 500
                provider:
                  prometheus: {address: "http://prometheus:9090", query: "vector(1)"}
            """);

    assertThat(said(conversion))
        .containsExactly(
            "in0.yaml:7: warning: spec.metrics[0].successCondition: could not be translated to CEL"
                + " (default() has no CEL form in Weir's conditions): kept as written, which Weir"
                + " refuses (InvalidSpec) until it is written in CEL");
    assertThat(
            object(conversion, "AnalysisTemplate").at("/spec/metrics/0/successCondition").asText())
        .isEqualTo("default(result, 0) < 500");
  }

  @Test
  void aServiceLosesTheSelectorLabelArgoRolloutsSetOnIt() {
    var conversion =
        convert(
            """
            apiVersion: v1
            kind: Service
            metadata: {name: guestbook-stable}
            spec:
              selector: {app: guestbook, rollouts-pod-template-hash: 6c54f5b8d5}
              ports: [{port: 80}]
            """);

    assertThat(object(conversion, "Service").at("/spec/selector").toString())
        .isEqualTo("{\"app\":\"guestbook\"}");
    assertThat(said(conversion))
        .containsExactly(
            "in0.yaml:5: note: spec.selector.rollouts-pod-template-hash: Argo Rollouts set this"
                + " label; Weir sets weir.dev/pod-template-hash instead: left out");
  }

  @Test
  void aFileThatIsNotYamlIsAnError() {
    var conversion = convert("kind: Rollout\n  bad: [\n");

    assertThat(conversion.failed()).isTrue();
    assertThat(said(conversion))
        .hasSize(1)
        .first()
        .asString()
        .isEqualTo(
            "in0.yaml:2: error: invalid YAML at column 6: mapping values are not allowed here");
  }
}
