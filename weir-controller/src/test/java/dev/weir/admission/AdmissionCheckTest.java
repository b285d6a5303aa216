package dev.weir.admission;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.weir.api.v1alpha1.SpecProblem;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What the admission webhook says of an object: the reconciler's own rules, by the field they name,
 * for each of Weir's kinds; the repository's examples and template library all pass.
 */
class AdmissionCheckTest {

  private static JsonNode yaml(String text) {
    return Serialization.jsonMapper().valueToTree(Serialization.unmarshal(text, Object.class));
  }

  private static JsonNode file(String path) {
    try {
      return yaml(Files.readString(Path.of(path)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** An AnalysisRun written by hand, with this spec. */
  private static JsonNode handWrittenRun(String spec) {
    return yaml(
        "apiVersion: weir.dev/v1alpha1\nkind: AnalysisRun\nmetadata: {name: by-hand}\nspec:\n"
            + spec.indent(2));
  }

  private static List<String> fields(List<SpecProblem> problems) {
    return problems.stream().map(SpecProblem::field).toList();
  }

  @Test
  void theExamplesAndTheTemplateLibraryAreAdmitted() {
    assertThat(AdmissionCheck.problems("Rollout", file("examples/canary-istio/rollout.yaml")))
        .isEmpty();
    assertThat(AdmissionCheck.problems("Rollout", file("examples/blue-green/rollout.yaml")))
        .isEmpty();
    assertThat(
            AdmissionCheck.problems(
                "AnalysisTemplate", file("analysis-templates/istio-success-rate.yaml")))
        .isEmpty();
  }

  @Test
  void aRolloutWithAWeightOutOfRangeIsRefusedByTheStepsField() {
    var rollout = file("examples/canary-istio/rollout.yaml");
    ((com.fasterxml.jackson.databind.node.ObjectNode)
            rollout.path("spec").path("strategy").path("canary").path("steps").get(0))
        .put("setWeight", 120);

    var problems = AdmissionCheck.problems("Rollout", rollout);

    assertThat(fields(problems)).containsExactly("spec.strategy.canary.steps[0].setWeight");
    assertThat(AdmissionCheck.message("Rollout", problems))
        .startsWith("invalid Rollout (admission by weir.dev): spec.strategy.canary.steps[0]")
        .contains("120");
  }

  @Test
  void aTemplateWhoseConditionDoesNotCompileIsRefusedWithCelsMessage() {
    var template =
        yaml(
            """
            apiVersion: weir.dev/v1alpha1
            kind: AnalysisTemplate
            metadata: {name: broken}
            spec:
              metrics:
                - name: rate
                  successCondition: "result[0] >= "
                  provider:
                    prometheus:
                      address: http://prometheus:9090
                      query: up
            """);

    var problems = AdmissionCheck.problems("AnalysisTemplate", template);

    assertThat(fields(problems)).containsExactly("spec.metrics[0].successCondition");
    assertThat(problems.get(0).message()).contains("result[0] >= ");
  }

  @Test
  void aClusterTemplateIsJudgedAsATemplate() {
    var template =
        yaml(
            """
            apiVersion: weir.dev/v1alpha1
            kind: ClusterAnalysisTemplate
            metadata: {name: empty}
            spec: {}
            """);

    assertThat(fields(AdmissionCheck.problems("ClusterAnalysisTemplate", template)))
        .containsExactly("spec.metrics");
  }

  @Test
  void aHandWrittenRunWithoutAProviderIsRefused() {
    var run =
        handWrittenRun(
            """
            metrics:
              - name: rate
                successCondition: "result[0] > 0.5"
            """);

    assertThat(fields(AdmissionCheck.problems("AnalysisRun", run)))
        .containsExactly("spec.metrics[0] (rate).provider");
  }

  @Test
  void aValueOfTheWrongShapeIsNamedByItsPath() {
    var rollout = file("examples/canary-istio/rollout.yaml");
    ((com.fasterxml.jackson.databind.node.ObjectNode) rollout.path("spec")).put("replicas", "five");

    assertThat(fields(AdmissionCheck.problems("Rollout", rollout)))
        .containsExactly("spec.replicas");
  }

  @Test
  void otherKindsAndDeletionsAreNotJudged() {
    assertThat(AdmissionCheck.problems("ConfigMap", yaml("spec:\n  replicas: -1\n"))).isEmpty();
    assertThat(AdmissionCheck.problems("Rollout", null)).isEmpty();
  }

  @Test
  void aRolloutWhoseNameCannotLabelItsRunsIsRefusedByMetadataName() {
    var rollout = file("examples/canary-istio/rollout.yaml");
    ((com.fasterxml.jackson.databind.node.ObjectNode) rollout.path("metadata"))
        .put("name", "checkout-" + "x".repeat(60));

    assertThat(fields(AdmissionCheck.problems("Rollout", rollout)))
        .containsExactly("metadata.name");
  }

  @Test
  void aHandWrittenRunIsCheckedAsATemplateIs() {
    var run =
        handWrittenRun(
            """
            args:
              - {name: service, value: checkout-canary}
              - {name: service, value: checkout-preview}
            metrics:
              - name: rate
                successCondition: "result[0] > 0.5"
                provider:
                  prometheus:
                    address: http://prometheus:9090
                    query: sum(rate(x{service="{{args.service}}",job="{{args.job}}"}[2m])
            """);

    assertThat(fields(AdmissionCheck.problems("AnalysisRun", run)))
        .containsExactlyInAnyOrder(
            "spec.args[1].name",
            "spec.metrics[0] (rate).provider.prometheus.query",
            "spec.metrics[0] (rate).provider");
  }
}
