package dev.weir.gitops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The one-field edit a write-back commits: the field found by its path in the right document, its
 * value replaced where it stands, every other byte of the file kept.
 */
class YamlFieldTest {

  static final String ROLLOUT =
      String.join(
          "\n",
          "# The checkout service. Owned by team shop.",
          "apiVersion: v1",
          "kind: Service",
          "metadata: {name: checkout-stable}",
          "---",
          "apiVersion: weir.dev/v1alpha1",
          "kind: Rollout",
          "metadata:",
          "  name: checkout   # the shop's",
          "spec:",
          "  template:",
          "    spec:",
          "      containers:",
          "        - name: sidecar",
          "          image: registry.example/proxy:1.0",
          "        - name: app",
          "          image: registry.example/checkout:2.5.0   # bumped by CI",
          "          ports: [{containerPort: 8080}]",
          "");

  static final Map<String, String> CHECKOUT =
      Map.of("kind", "Rollout", "metadata.name", "checkout");

  @Test
  void aRolloutsImageIsReplacedWhereItStandsAndNothingElseChanges() {
    var field =
        YamlField.find(ROLLOUT, CHECKOUT, "spec.template.spec.containers[name=app].image")
            .orElseThrow();

    assertThat(field.value()).isEqualTo("registry.example/checkout:2.5.0");
    assertThat(field.replacedWith("registry.example/checkout:2.4.1"))
        .isEqualTo(
            ROLLOUT.replace("checkout:2.5.0   # bumped by CI", "checkout:2.4.1   # bumped by CI"));
  }

  @Test
  void aKustomizeImagesEntryIsFoundByItsNameDotsAndSlashesIncluded() {
    String kustomization =
        String.join(
            "\n",
            "resources: [../../base]",
            "images:",
            "  - name: registry.example/checkout",
            "    newTag: \"2.5.0\"  # quoted on purpose",
            "");

    var field =
        YamlField.find(kustomization, Map.of(), "images[name=registry.example/checkout].newTag")
            .orElseThrow();

    assertThat(field.replacedWith("2.4.1"))
        .isEqualTo(kustomization.replace("\"2.5.0\"", "\"2.4.1\""));
  }

  @Test
  void aHelmValueThatWouldReadAsANumberIsQuotedAndAQuotedOneKeepsItsQuotes() {
    String values = "image:\n  repository: registry.example/checkout\n  tag: 2.5.0\n";
    var tag = YamlField.find(values, Map.of(), "image.tag").orElseThrow();

    assertThat(tag.replacedWith("1.10")).isEqualTo(values.replace("2.5.0", "\"1.10\""));
    assertThat(tag.replacedWith("2.4.1")).isEqualTo(values.replace("2.5.0", "2.4.1"));
    String single = "image: {tag: 'v2'}\n";
    assertThat(YamlField.find(single, Map.of(), "image.tag").orElseThrow().replacedWith("it's"))
        .isEqualTo("image: {tag: 'it''s'}\n");
  }

  @Test
  void aPathOrDocumentThatIsNotThereIsNotFound() {
    assertThat(YamlField.find(ROLLOUT, CHECKOUT, "spec.template.spec.containers[name=web].image"))
        .isEmpty();
    assertThat(
            YamlField.find(
                ROLLOUT,
                Map.of("kind", "Rollout", "metadata.name", "payments"),
                "spec.template.spec.containers[name=app].image"))
        .isEmpty();
    assertThat(YamlField.find(ROLLOUT, CHECKOUT, "spec.template.spec.containers")).isEmpty();
  }

  @Test
  void aBlockScalarIsNotEditedInPlace() {
    var field = YamlField.find("note: |\n  two\n  lines\n", Map.of(), "note").orElseThrow();

    assertThatThrownBy(() -> field.replacedWith("one"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("block scalar");
  }

  @Test
  void aPathSplitsAtDotsOutsideItsSelectors() {
    assertThat(YamlField.segments("images[name=registry.example/checkout].newTag"))
        .containsExactly("images", "[name=registry.example/checkout]", "newTag");
  }
}
