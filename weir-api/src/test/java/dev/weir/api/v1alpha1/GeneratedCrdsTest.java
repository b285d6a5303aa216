package dev.weir.api.v1alpha1;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The CRD YAML is generated from the Java classes at build time; the copies committed in crds/ and
 * in the chart must be exactly what the build generates.
 */
class GeneratedCrdsTest {

  private static final String UPDATE =
      "run `mvn process-classes -Pupdate-crds` and commit the result";

  /** Every CRD Weir defines, by its plural name. */
  static final List<String> CRDS =
      List.of(
          "rollouts",
          "analysistemplates",
          "clusteranalysistemplates",
          "analysisruns",
          "notificationpolicies");

  private static Path generated(String plural) {
    return Path.of(System.getProperty("weir.generated.crds", "target/classes/META-INF/fabric8"))
        .resolve(plural + ".weir.dev-v1.yml");
  }

  private static Path generated() {
    return generated("rollouts");
  }

  static Stream<Arguments> committedCopies() {
    return CRDS.stream()
        .flatMap(
            plural ->
                Stream.of("crds/", "helm/weir/crds/")
                    .map(dir -> Arguments.of(plural, dir + plural + ".weir.dev.yaml")));
  }

  @ParameterizedTest
  @MethodSource("committedCopies")
  void committedCopyIsWhatTheBuildGenerates(String plural, String committed) throws IOException {
    assertThat(Files.readString(Path.of(committed)))
        .as("%s is stale: %s", committed, UPDATE)
        .isEqualTo(Files.readString(generated(plural)));
  }

  @Test
  void noOtherCrdIsGeneratedOrCommitted() throws IOException {
    try (var files = Files.list(Path.of("crds"))) {
      assertThat(files.map(f -> f.getFileName().toString()))
          .containsExactlyInAnyOrderElementsOf(
              CRDS.stream().map(p -> p + ".weir.dev.yaml").toList());
    }
  }

  @ParameterizedTest
  @MethodSource("crds")
  void everyFieldWeirDefinesIsDocumentedForKubectlExplain(String plural) throws IOException {
    var crd =
        Serialization.unmarshal(
            Files.readString(generated(plural)), CustomResourceDefinition.class);
    var schema = crd.getSpec().getVersions().get(0).getSchema().getOpenAPIV3Schema();
    var undocumented = new ArrayList<String>();
    collectUndocumented("spec", schema.getProperties().get("spec"), undocumented);
    if (schema.getProperties().containsKey("status")) {
      collectUndocumented("status", schema.getProperties().get("status"), undocumented);
    }
    assertThat(undocumented).isEmpty();
  }

  @Test
  void printerColumnsAndShortNamesDoNotClashWithArgoRollouts() throws IOException {
    var crd =
        Serialization.unmarshal(Files.readString(generated()), CustomResourceDefinition.class);
    assertThat(crd.getSpec().getNames().getShortNames()).doesNotContain("ro").contains("wro");
    var columns =
        crd.getSpec().getVersions().get(0).getAdditionalPrinterColumns().stream()
            .map(c -> c.getName())
            .toList();
    assertThat(columns)
        .as("in the order kubectl get shows them")
        .containsExactly(
            "Desired", "Current", "Up-to-date", "Available", "Phase", "Step", "Weight", "Age");
    assertThat(crd.getSpec().getVersions().get(0).getSubresources().getStatus()).isNotNull();
  }

  static List<String> crds() {
    return CRDS;
  }

  // Kubernetes' own types (pod template, selector, conditions) are documented upstream.
  private static final Set<String> UPSTREAM =
      Set.of("spec.template", "spec.selector", "status.conditions");

  // Fields of Kubernetes' own reference types: Weir documents the field, upstream its parts.
  private static final Set<String> UPSTREAM_TYPED =
      Set.of("secretKeyRef", "fieldRef", "bearerToken", "basicAuthSecret");

  private static void collectUndocumented(String path, JSONSchemaProps props, List<String> out) {
    if (UPSTREAM.contains(path)) {
      return;
    }
    if (!path.equals("spec")
        && !path.equals("status")
        && (props.getDescription() == null || props.getDescription().isBlank())) {
      out.add(path);
    }
    if (UPSTREAM_TYPED.contains(path.substring(path.lastIndexOf('.') + 1))) {
      return;
    }
    if (props.getProperties() != null) {
      props
          .getProperties()
          .forEach((name, child) -> collectUndocumented(path + "." + name, child, out));
    }
    if (props.getItems() != null && props.getItems().getSchema() != null) {
      var items = props.getItems().getSchema();
      if (items.getProperties() != null) {
        items
            .getProperties()
            .forEach((name, child) -> collectUndocumented(path + "[]." + name, child, out));
      }
    }
  }
}
