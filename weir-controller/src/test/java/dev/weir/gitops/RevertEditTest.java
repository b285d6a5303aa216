package dev.weir.gitops;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.api.v1alpha1.GitWriteBackMode;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The edit a write-back makes, from the file's text alone: the aborted value back to the stable one
 * with every other byte kept; no edit when the field holds the stable value or a third one; the
 * image's tag for a Kustomize overlay; and the texts that leave Weir, with no credential in them.
 */
class RevertEditTest {

  static final String ROLLOUT =
      """
      # The checkout service; reviewed by the shop team.
      apiVersion: v1
      kind: Service
      metadata:
        name: checkout
      ---
      apiVersion: weir.dev/v1alpha1
      kind: Rollout
      metadata:
        name: checkout   # keep in step with the Service
      spec:
        template:
          spec:
            containers:
              - name: app
                image: registry.example/checkout:2.5.0   # bumped by CI
              - name: proxy
                image: registry.example/proxy:1.0
      """;

  static RevertRequest request(
      Map<String, String> document, String field, String aborted, String stable) {
    return new RevertRequest(
        "shop/checkout",
        "7f9c5d8b4",
        "https://git.example/shop/config.git",
        "main",
        "apps/checkout/rollout.yaml",
        document,
        field,
        aborted,
        stable,
        "AnalysisFailed: metric success-rate = 0.81, AnalysisRun checkout-7f9c5d8b4-2-step-2",
        GitWriteBackMode.commit,
        Optional.empty());
  }

  static RevertRequest imageOfApp(String aborted, String stable) {
    return request(
        Map.of("kind", "Rollout", "metadata.name", "checkout"),
        "spec.template.spec.containers[name=app].image",
        aborted,
        stable);
  }

  @Test
  void theAbortedImageGoesBackToTheStableOneAndNothingElseChanges() {
    var edit =
        RevertEdit.of(
            ROLLOUT,
            imageOfApp("registry.example/checkout:2.5.0", "registry.example/checkout:2.4.1"));

    assertThat(edit).isInstanceOf(RevertEdit.Restored.class);
    assertThat(((RevertEdit.Restored) edit).text())
        .isEqualTo(
            ROLLOUT.replace(
                "registry.example/checkout:2.5.0   # bumped by CI",
                "registry.example/checkout:2.4.1   # bumped by CI"));
  }

  @Test
  void aFieldAlreadyHoldingTheStableValueIsNotWritten() {
    var edit =
        RevertEdit.of(
            ROLLOUT,
            imageOfApp("registry.example/checkout:2.6.0", "registry.example/checkout:2.5.0"));

    assertThat(edit)
        .isEqualTo(
            new RevertEdit.Unchanged(
                "spec.template.spec.containers[name=app].image in apps/checkout/rollout.yaml"
                    + " already holds the stable value registry.example/checkout:2.5.0: no commit"));
  }

  @Test
  void aFieldThatMovedOnToAThirdValueIsLeftAsItIs() {
    var edit =
        RevertEdit.of(
            ROLLOUT,
            imageOfApp("registry.example/checkout:2.4.9", "registry.example/checkout:2.4.1"));

    assertThat(edit).isInstanceOf(RevertEdit.Unchanged.class);
    assertThat(((RevertEdit.Unchanged) edit).why())
        .contains("holds registry.example/checkout:2.5.0, neither the aborted")
        .endsWith("git moved on, no commit");
  }

  @Test
  void aKustomizeOverlaysNewTagIsRestoredToTheStableTag() {
    String overlay =
        """
        resources: [../../base]
        images:
          - name: registry.example/checkout
            newTag: "2.5.0"  # promoted from staging
        """;
    var edit =
        RevertEdit.of(
            overlay,
            request(
                Map.of(),
                "images[name=registry.example/checkout].newTag",
                ImageTag.of("registry.example/checkout:2.5.0"),
                ImageTag.of("registry.example/checkout:2.4.1")));

    assertThat(((RevertEdit.Restored) edit).text())
        .isEqualTo(overlay.replace("\"2.5.0\"", "\"2.4.1\""));
  }

  @Test
  void aFieldThatIsNotThereIsSaid() {
    var edit =
        RevertEdit.of(
            ROLLOUT, imageOfApp("registry.example/checkout:2.5.0", "x").withField("spec.image"));

    assertThat(edit)
        .isEqualTo(
            new RevertEdit.NotFound(
                "no scalar field spec.image in the document {kind=Rollout, metadata.name=checkout}"
                    + " of apps/checkout/rollout.yaml"));
  }

  @Test
  void tagsAreReadAsTheRuntimeReadsThem() {
    assertThat(ImageTag.of("registry.example/checkout:2.4.1")).isEqualTo("2.4.1");
    assertThat(ImageTag.of("registry:5000/checkout")).isEqualTo("latest");
    assertThat(ImageTag.of("registry:5000/checkout:2.4.1@sha256:abc")).isEqualTo("2.4.1");
  }

  @Test
  void theCommitMessageNamesTheRolloutTheRevisionAndTheMeasurementAndIsFoundAgain() {
    var request = imageOfApp("registry.example/checkout:2.5.0", "registry.example/checkout:2.4.1");

    String message = RevertMessage.of(request);

    assertThat(message)
        .startsWith(
            "Revert checkout to registry.example/checkout:2.4.1: revision 7f9c5d8b4 aborted\n\n")
        .contains("Rollout shop/checkout (registry.example/checkout:2.5.0)")
        .contains("AnalysisFailed: metric success-rate = 0.81")
        .endsWith("Weir-Rollout: shop/checkout\nWeir-Aborted-Revision: 7f9c5d8b4\n");
    assertThat(RevertMessage.isOf(message, request)).isTrue();
    assertThat(RevertMessage.isOf(message.replace("7f9c5d8b4", "5b6d7c8e9"), request)).isFalse();
  }

  @Test
  void textsFromGitLoseThePasswordAndEveryUserInfo() {
    var credentials = Optional.of(new GitCredentials("weir", "t0ken-s3cret"));

    assertThat(
            Scrubbed.of(
                "https://weir:t0ken-s3cret@git.example/config.git: not authorized (t0ken-s3cret)",
                credentials))
        .isEqualTo("https://git.example/config.git: not authorized (***)");
    assertThat(credentials.get().toString()).doesNotContain("t0ken");
    assertThat(imageOfApp("a", "b").toString()).doesNotContain("s3cret");
  }
}
