package dev.weir.cli.convert;

import static dev.weir.cli.convert.ArgoConversionTest.convert;
import static dev.weir.cli.convert.ArgoConversionTest.object;
import static dev.weir.cli.convert.ArgoConversionTest.said;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** How a Flagger Canary's analysis becomes steps, for each of its strategies. */
class FlaggerConversionTest {

  static final String DEPLOYMENT =
      ArgoConversionTest.deployment("podinfo", "test", 3, "podinfo:6.0.0");

  static String canary(String analysis) {
    return """
        apiVersion: flagger.app/v1beta1
        kind: Canary
        metadata: {name: podinfo, namespace: test}
        spec:
          targetRef: {apiVersion: apps/v1, kind: Deployment, name: podinfo}
          service: {port: 9898}
          analysis:
        """
        + analysis.indent(4);
  }

  static final String METRICS =
      """
      metrics:
      - name: request-success-rate
        thresholdRange: {min: 99}
      """;

  static List<String> steps(JsonNode rollout) {
    var steps = new ArrayList<String>();
    rollout.at("/spec/strategy/canary/steps").forEach(s -> steps.add(s.toString()));
    return steps;
  }

  @Test
  void stepWeightGrowsUntilMaxWeightIsReachedOrPassed() {
    var conversion =
        convert(
            canary("interval: 30s\nthreshold: 2\nmaxWeight: 50\nstepWeight: 20\n" + METRICS),
            DEPLOYMENT);

    assertThat(steps(object(conversion, "Rollout")))
        .containsExactly(
            "{\"setWeight\":20}",
            "{\"pause\":{\"duration\":\"30s\"}}",
            "{\"analysis\":{\"templates\":[{\"templateName\":\"podinfo\"}]}}",
            "{\"setWeight\":40}",
            "{\"pause\":{\"duration\":\"30s\"}}",
            "{\"analysis\":{\"templates\":[{\"templateName\":\"podinfo\"}]}}",
            "{\"setWeight\":60}",
            "{\"pause\":{\"duration\":\"30s\"}}",
            "{\"analysis\":{\"templates\":[{\"templateName\":\"podinfo\"}]}}");
    JsonNode metric = object(conversion, "AnalysisTemplate").at("/spec/metrics/0");
    assertThat(metric.path("interval").asText()).isEqualTo("30s");
    assertThat(metric.path("failureLimit").asInt()).as("the 2nd failed check aborts").isEqualTo(1);
    assertThat(metric.path("consecutiveSuccessLimit").asInt()).isEqualTo(1);
    assertThat(metric.path("noDataPolicy").asText()).isEqualTo("Fail");
    assertThat(metric.path("successCondition").asText()).isEqualTo("result[0] >= 99");
    assertThat(object(conversion, "Rollout").at("/spec/replicas").asInt()).isEqualTo(3);
  }

  @Test
  void stepWeightsAreTheWeights() {
    var conversion = convert(canary("stepWeights: [1, 2, 10, 80]\n"), DEPLOYMENT);

    assertThat(steps(object(conversion, "Rollout")))
        .containsExactly(
            "{\"setWeight\":1}",
            "{\"pause\":{\"duration\":\"1m\"}}",
            "{\"setWeight\":2}",
            "{\"pause\":{\"duration\":\"1m\"}}",
            "{\"setWeight\":10}",
            "{\"pause\":{\"duration\":\"1m\"}}",
            "{\"setWeight\":80}",
            "{\"pause\":{\"duration\":\"1m\"}}");
    assertThat(conversion.objects()).extracting(Converted::kind).doesNotContain("AnalysisTemplate");
  }

  @Test
  void confirmationWebhooksBecomePausesForAPromote() {
    var conversion =
        convert(
            canary(
                "stepWeight: 50\nwebhooks:\n- {name: gate, type: confirm-promotion, url: http://gate/}\n"),
            DEPLOYMENT);

    assertThat(steps(object(conversion, "Rollout")))
        .containsExactly(
            "{\"setWeight\":50}",
            "{\"pause\":{\"duration\":\"1m\"}}",
            "{\"setWeight\":100}",
            "{\"pause\":{\"duration\":\"1m\"}}",
            "{\"pause\":{}}");
    assertThat(said(conversion))
        .contains(
            "in0.yaml:10: note: spec.analysis.webhooks[0]: confirm-promotion became a pause step that"
                + " waits for kubectl weir promote: Weir calls no webhook, so the gate is opened by"
                + " whatever called it, or a human");
  }

  @Test
  void iterationsAreABlueGreenReleaseJudgedBeforeTheSwitch() {
    var conversion =
        convert(canary("interval: 1m\nthreshold: 2\niterations: 10\n" + METRICS), DEPLOYMENT);

    JsonNode blueGreen = object(conversion, "Rollout").at("/spec/strategy/blueGreen");
    assertThat(blueGreen.path("activeService").asText()).isEqualTo("podinfo");
    assertThat(blueGreen.path("previewService").asText()).isEqualTo("podinfo-canary");
    assertThat(blueGreen.at("/prePromotionAnalysis/templates/0/templateName").asText())
        .isEqualTo("podinfo");
    assertThat(blueGreen.at("/trafficRouting/istio/virtualService/name").asText())
        .isEqualTo("podinfo");
    JsonNode metric = object(conversion, "AnalysisTemplate").at("/spec/metrics/0");
    assertThat(metric.path("consecutiveSuccessLimit").asInt()).isEqualTo(10);
    assertThat(metric.path("initialDelay").asText()).isEqualTo("1m");
  }

  @Test
  void anotherMeshIsLeftOutAndTheCanarysShareIsItsPods() {
    var conversion =
        convert(
            canary("stepWeight: 25\n" + METRICS)
                .replace("service: {port: 9898}", "provider: linkerd\n  service: {port: 9898}"),
            DEPLOYMENT);

    assertThat(conversion.objects())
        .extracting(Converted::kind)
        .containsExactly("Service", "Service", "Rollout");
    assertThat(object(conversion, "Rollout").at("/spec/strategy/canary").has("trafficRouting"))
        .isFalse();
    assertThat(said(conversion))
        .contains(
            "in0.yaml:6: warning: spec.provider: Weir routes traffic with Istio (VirtualService"
                + " weights) only: without it the canary's share of the traffic is its share of the"
                + " pods",
            "in0.yaml:11: warning: spec.analysis.metrics[0]: Flagger's built-in"
                + " request-success-rate check for linkerd has no Istio query to carry over: left"
                + " out");
  }

  @Test
  void theKubernetesProviderIsABlueGreenReleaseBySelectors() {
    var conversion =
        convert(
            canary("iterations: 5\n")
                .replace("service: {port: 9898}", "provider: kubernetes\n  service: {port: 9898}"),
            DEPLOYMENT);

    JsonNode blueGreen = object(conversion, "Rollout").at("/spec/strategy/blueGreen");
    assertThat(blueGreen.has("trafficRouting")).isFalse();
    assertThat(blueGreen.path("activeService").asText()).isEqualTo("podinfo");
    assertThat(conversion.warnings()).isZero();
  }

  @Test
  void whatIsMissingFromTheFilesGivenIsSaid() {
    var conversion =
        convert(
            canary(
                "stepWeight: 50\nmetrics:\n- {name: errors, templateRef: {name: error-rate}, thresholdRange: {max: 1}}\n"),
            """
            apiVersion: flagger.app/v1beta1
            kind: MetricTemplate
            metadata: {name: latency, namespace: test}
            spec:
              provider: {type: prometheus, address: "http://prometheus:9090"}
              query: vector(1)
            """);

    assertThat(said(conversion).stream().filter(d -> d.contains(": warning: ")))
        .containsExactly(
            "in0.yaml:5: warning: spec.targetRef: Deployment podinfo is not among the files given:"
                + " the Rollout has no pod template; give it with -f",
            "in0.yaml:10: warning: spec.analysis.metrics[0].templateRef: MetricTemplate"
                + " test/error-rate is not among the files given: the metric is left out; give it"
                + " with -f",
            "in1.yaml:1: warning: no Canary in the files given uses it: in Weir a query lives in the"
                + " metric of an AnalysisTemplate, so it is converted with the Canary that names"
                + " it; left out");
  }
}
