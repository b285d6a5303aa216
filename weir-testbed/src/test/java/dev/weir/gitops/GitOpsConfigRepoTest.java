package dev.weir.gitops;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.weir.api.WellKnownNames;
import dev.weir.api.v1alpha1.AnalysisTemplate;
import dev.weir.api.v1alpha1.Rollout;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The example config repository of examples/gitops, built by the real {@code kubectl kustomize}.
 */
class GitOpsConfigRepoTest {

  private static final Path REPO = Path.of("examples/gitops");

  @Test
  void stagingBuildsTheReleaseUnderTestInItsOwnNamespace() throws Exception {
    var objects = kustomize("overlays/staging");
    assertThat(objects)
        .allSatisfy(o -> assertThat(o.getMetadata().getNamespace()).isEqualTo("shop-staging"));
    var rollout = rollout(objects);
    assertThat(rollout.getSpec().replicas).isEqualTo(2);
    assertThat(rollout.getSpec().template.getSpec().getContainers().get(0).getImage())
        .isEqualTo("registry.example/checkout:2.5.0");
    assertThat(rollout.getSpec().strategy.canary.steps.get(1).pause.duration.getStrVal())
        .isEqualTo("30s");
    assertThat(objects)
        .extracting(HasMetadata::getKind)
        .containsExactlyInAnyOrder(
            "Service",
            "Service",
            "VirtualService",
            "AnalysisTemplate",
            "AnalysisTemplate",
            "AnalysisTemplate",
            "Rollout");
  }

  @Test
  void productionBuildsTenReplicasOfTheStableReleaseWithAManualGate() throws Exception {
    var objects = kustomize("overlays/production");
    assertThat(objects)
        .allSatisfy(o -> assertThat(o.getMetadata().getNamespace()).isEqualTo("shop"));
    var rollout = rollout(objects);
    assertThat(rollout.getSpec().replicas).isEqualTo(10);
    assertThat(rollout.getSpec().template.getSpec().getContainers().get(0).getImage())
        .isEqualTo("registry.example/checkout:2.4.1");
    var steps = rollout.getSpec().strategy.canary.steps;
    assertThat(steps.get(steps.size() - 1).pause.duration).as("a manual pause").isNull();
  }

  @Test
  void productionKeepsItsPrometheusTokenSealedAndTheSecretItBecomesOptsInToAnalysis()
      throws Exception {
    var objects = kustomize("overlays/production");
    var sealed =
        objects.stream()
            .filter(o -> o.getKind().equals("SealedSecret"))
            .map(o -> Serialization.jsonMapper().<JsonNode>valueToTree(o))
            .toList();
    assertThat(sealed).hasSize(1);
    var template = sealed.get(0).path("spec").path("template").path("metadata");
    assertThat(template.path("name").asText()).isEqualTo("prometheus-token");
    assertThat(template.path("labels").path(WellKnownNames.ANALYSIS_SECRET_LABEL).asText())
        .as("the label Weir reads Secrets by is on the Secret the controller makes")
        .isEqualTo(WellKnownNames.ANALYSIS_SECRET_OPT_IN);
    // kubeseal's format: the length of an RSA-OAEP wrapped session key (4096 bits), the wrapped
    // key, then the AES-GCM ciphertext of the value and its 16-byte tag.
    byte[] token =
        Base64.getDecoder()
            .decode(sealed.get(0).path("spec").path("encryptedData").path("token").asText());
    int wrapped = ((token[0] & 0xff) << 8) | (token[1] & 0xff);
    assertThat(wrapped).isEqualTo(512);
    assertThat(token.length).isGreaterThan(2 + wrapped + 16);

    assertThat(objects)
        .as("no Secret in plain text: git holds only the sealed one")
        .noneMatch(o -> o.getKind().equals("Secret"));
    try (var files = Files.walk(REPO)) {
      assertThat(files.filter(f -> f.toString().endsWith(".yaml")))
          .noneSatisfy(f -> assertThat(Files.readString(f)).containsPattern("(?m)^kind: Secret$"));
    }
    var templates =
        objects.stream()
            .filter(o -> o.getKind().equals("AnalysisTemplate"))
            .map(o -> Serialization.jsonMapper().convertValue(o, AnalysisTemplate.class))
            .toList();
    assertThat(templates)
        .hasSize(3)
        .allSatisfy(
            t ->
                assertThat(
                        t.getSpec()
                            .metrics
                            .get(0)
                            .provider
                            .prometheus
                            .authentication
                            .bearerToken
                            .getName())
                    .isEqualTo("prometheus-token"));
    assertThat(templates)
        .as("sent only to the controller's default address, which the operator allows")
        .allSatisfy(
            t -> assertThat(t.getSpec().metrics.get(0).provider.prometheus.address).isNull());
  }

  @Test
  void theBaseCarriesTheLibraryTemplatesUnchanged() throws Exception {
    for (String name :
        List.of("istio-success-rate", "istio-p99-latency", "istio-error-budget-burn")) {
      var copy =
          Serialization.unmarshal(
              Files.readString(REPO.resolve("base/" + name + ".yaml")), AnalysisTemplate.class);
      var library =
          Serialization.unmarshal(
              Files.readString(Path.of("analysis-templates/" + name + ".yaml")),
              AnalysisTemplate.class);
      assertThat(Serialization.asYaml(copy)).as(name).isEqualTo(Serialization.asYaml(library));
    }
  }

  private static Rollout rollout(List<HasMetadata> objects) {
    var found =
        objects.stream().filter(o -> o.getKind().equals("Rollout")).findFirst().orElseThrow();
    return Serialization.jsonMapper().convertValue(found, Rollout.class);
  }

  private static List<HasMetadata> kustomize(String overlay) throws Exception {
    var process =
        new ProcessBuilder("kubectl", "kustomize", REPO.resolve(overlay).toString())
            .redirectError(ProcessBuilder.Redirect.INHERIT)
            .start();
    String yaml = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).as("kubectl kustomize " + overlay).isZero();
    var objects = new ArrayList<HasMetadata>();
    for (String document : yaml.split("(?m)^---\\s*$")) {
      if (!document.isBlank()) {
        objects.add(
            (HasMetadata)
                Serialization.unmarshal(
                    new ByteArrayInputStream(document.getBytes(StandardCharsets.UTF_8))));
      }
    }
    return objects;
  }
}
