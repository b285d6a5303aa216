package dev.weir.rollout.plan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.api.WellKnownNames;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Which ConfigMaps and Secrets a pod template references, the copies it is released with, and
 * pruning.
 */
class ConfigSnapshotsTest {

  /** Every place a pod template can name a ConfigMap, and a Secret beside them. */
  private static final String TEMPLATE =
      """
      {"metadata": {"labels": {"app": "checkout"}},
       "spec": {
         "initContainers": [{"name": "init", "image": "i",
           "envFrom": [{"configMapRef": {"name": "init-env"}}]}],
         "containers": [{"name": "app", "image": "a",
           "env": [{"name": "LEVEL", "valueFrom": {"configMapKeyRef": {"name": "app-config", "key": "level"}}},
                   {"name": "TOKEN", "valueFrom": {"secretKeyRef": {"name": "token", "key": "t"}}}],
           "envFrom": [{"configMapRef": {"name": "app-env"}}]}],
         "volumes": [
           {"name": "files", "configMap": {"name": "app-files"}},
           {"name": "all", "projected": {"sources": [{"configMap": {"name": "app-projected"}}]}}]}}
      """;

  /** Every place a pod template can name a Secret. */
  private static final String SECRET_TEMPLATE =
      """
      {"metadata": {"labels": {"app": "checkout"}},
       "spec": {
         "initContainers": [{"name": "init", "image": "i",
           "envFrom": [{"secretRef": {"name": "init-env"}}]}],
         "containers": [{"name": "app", "image": "a",
           "env": [{"name": "TOKEN", "valueFrom": {"secretKeyRef": {"name": "token", "key": "t"}}},
                   {"name": "LEVEL", "valueFrom": {"configMapKeyRef": {"name": "app-config", "key": "level"}}}],
           "envFrom": [{"secretRef": {"name": "app-env"}}]}],
         "volumes": [
           {"name": "tls", "secret": {"secretName": "app-tls"}},
           {"name": "all", "projected": {"sources": [{"secret": {"name": "app-projected"}}]}}]}}
      """;

  private static PodTemplateSpec secretTemplate() {
    return Serialization.unmarshal(SECRET_TEMPLATE, PodTemplateSpec.class);
  }

  private static Secret offered(String name, String value, String resourceVersion) {
    return new SecretBuilder()
        .withNewMetadata()
        .withName(name)
        .withNamespace("shop")
        .withUid("0b5a7c1e-" + name)
        .withResourceVersion(resourceVersion)
        .withLabels(
            Map.of(WellKnownNames.CONFIG_SNAPSHOT_LABEL, WellKnownNames.CONFIG_SNAPSHOT_OPT_IN))
        .endMetadata()
        .withType("Opaque")
        .withData(
            Map.of("t", Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8))))
        .build();
  }

  private static PodTemplateSpec template() {
    return Serialization.unmarshal(TEMPLATE, PodTemplateSpec.class);
  }

  private static ConfigMap configMap(String name, Map<String, String> data) {
    return new ConfigMapBuilder()
        .withNewMetadata()
        .withName(name)
        .withNamespace("shop")
        .withResourceVersion("7")
        .endMetadata()
        .withData(data)
        .build();
  }

  @Test
  void everyKindOfReferenceIsFoundAndNoSecret() {
    assertThat(ConfigSnapshots.referenced(template()))
        .containsExactlyInAnyOrder(
            "init-env", "app-config", "app-env", "app-files", "app-projected");
  }

  @Test
  void theTemplateNamesCopiesNamedByTheirData() {
    var live = Map.of("app-config", configMap("app-config", Map.of("level", "info")));

    var snapshot = ConfigSnapshots.of(template(), live);

    String copy = ConfigSnapshots.copyName(live.get("app-config"));
    assertThat(copy).matches("app-config-[0-9a-f]{10}");
    assertThat(snapshot.copies()).containsOnlyKeys(copy);
    assertThat(ConfigSnapshots.referenced(snapshot.template()))
        .contains(copy)
        .doesNotContain("app-config")
        .as("references to ConfigMaps not there stay")
        .contains("app-env", "app-files");
    assertThat(ConfigSnapshots.referenced(template()))
        .as("the declared template is not changed")
        .contains("app-config");
  }

  @Test
  void theSameDataIsTheSameCopyAndNewDataANewOne() {
    var info = configMap("app-config", Map.of("level", "info"));
    var sameDataOtherVersion = configMap("app-config", Map.of("level", "info"));
    sameDataOtherVersion.getMetadata().setResourceVersion("8");
    sameDataOtherVersion.getMetadata().setLabels(Map.of("touched", "yes"));
    var debug = configMap("app-config", Map.of("level", "debug"));

    assertThat(ConfigSnapshots.copyName(sameDataOtherVersion))
        .isEqualTo(ConfigSnapshots.copyName(info));
    assertThat(ConfigSnapshots.copyName(debug)).isNotEqualTo(ConfigSnapshots.copyName(info));
    assertThat(
            ConfigSnapshots.of(template(), Map.of("app-config", debug))
                .template()
                .equals(ConfigSnapshots.of(template(), Map.of("app-config", info)).template()))
        .as("new data, a new template: a new revision")
        .isFalse();
  }

  @Test
  void copiesNoTemplateInUseNamesArePruned() {
    var v1 =
        ConfigSnapshots.of(
            template(), Map.of("app-config", configMap("app-config", Map.of("level", "info"))));
    var v2 =
        ConfigSnapshots.of(
            template(), Map.of("app-config", configMap("app-config", Map.of("level", "debug"))));
    var v1Copy = v1.copies().keySet().iterator().next();
    var v2Copy = v2.copies().keySet().iterator().next();

    assertThat(
            ConfigSnapshots.prunable(
                List.of(v1Copy, v2Copy), List.of(v1.template(), v2.template())))
        .isEmpty();
    assertThat(ConfigSnapshots.prunable(List.of(v1Copy, v2Copy), List.of(v2.template())))
        .containsExactly(v1Copy);
  }

  @Test
  void everyKindOfSecretReferenceIsFound() {
    assertThat(ConfigSnapshots.referencedSecrets(secretTemplate()))
        .containsExactlyInAnyOrder("init-env", "token", "app-env", "app-tls", "app-projected");
    assertThat(ConfigSnapshots.referenced(secretTemplate())).containsExactly("app-config");
  }

  @Test
  void everySecretReferenceNamesTheCopyOfAnOfferedSecret() {
    var offered = new HashMap<String, Secret>();
    for (String name : List.of("init-env", "token", "app-env", "app-tls", "app-projected")) {
      offered.put(name, offered(name, "s3cret", "7"));
    }

    var snapshot = ConfigSnapshots.of(secretTemplate(), Map.of(), offered);

    assertThat(snapshot.secretCopies()).hasSize(5);
    assertThat(ConfigSnapshots.referencedSecrets(snapshot.template()))
        .containsExactlyInAnyOrderElementsOf(snapshot.secretCopies().keySet());
    assertThat(snapshot.secretCopies().keySet())
        .allSatisfy(copy -> assertThat(copy).matches("[a-z-]+-[0-9a-f]{10}"));
    assertThat(snapshot.secretsNotSnapshotted()).isEmpty();
    assertThat(snapshot.copies()).as("ConfigMaps are not mixed in").isEmpty();
  }

  @Test
  void aSecretThatDidNotOptInIsLeftReferencedAsItIsAndSaidSo() {
    var unlabelled = offered("token", "s3cret", "7");
    unlabelled.getMetadata().setLabels(Map.of());
    var aCopy = offered("app-tls", "s3cret", "7");
    aCopy.getMetadata().setLabels(new HashMap<>(aCopy.getMetadata().getLabels()));
    aCopy.getMetadata().getLabels().put(WellKnownNames.CONFIG_SNAPSHOT_OF_LABEL, "app-tls");

    var serviceAccountToken = offered("app-env", "s3cret", "7");
    serviceAccountToken.setType("kubernetes.io/service-account-token");

    var snapshot =
        ConfigSnapshots.of(
            secretTemplate(),
            Map.of(),
            Map.of("token", unlabelled, "app-tls", aCopy, "app-env", serviceAccountToken));

    assertThat(snapshot.secretCopies()).isEmpty();
    assertThat(snapshot.template()).isEqualTo(secretTemplate());
    assertThat(snapshot.secretsNotSnapshotted())
        .containsExactly("app-env", "app-projected", "app-tls", "init-env", "token");
  }

  @Test
  void aSecretCopysNameCarriesNoDigestOfItsValues() {
    var v1 = offered("token", "hunter2", "7");
    String copy = ConfigSnapshots.secretCopyName(v1);
    String suffix = copy.substring("token-".length());

    String value = "hunter2";
    String encoded = v1.getData().get("t");
    for (String text :
        List.of(
            value,
            encoded,
            "t" + value,
            "{\"t\":\"" + encoded + "\"}",
            "{\"data\":{\"t\":\"" + encoded + "\"}}",
            "{\"binaryData\":{},\"data\":{\"t\":\"" + encoded + "\"}}")) {
      assertThat(sha256(text)).as("a digest of %s", text).doesNotContain(suffix);
    }
    assertThat(ConfigSnapshots.secretCopyName(offered("token", "other", "7")))
        .as("the values do not name the copy at all")
        .isEqualTo(copy);
    assertThat(ConfigSnapshots.secretCopyName(offered("token", "hunter2", "8")))
        .as("a new write of the Secret is a new copy")
        .isNotEqualTo(copy);
  }

  @Test
  void secretCopiesNoTemplateInUseNamesArePruned() {
    var v1 =
        ConfigSnapshots.of(
            secretTemplate(), Map.of(), Map.of("token", offered("token", "one", "7")));
    var v2 =
        ConfigSnapshots.of(
            secretTemplate(), Map.of(), Map.of("token", offered("token", "two", "9")));
    var v1Copy = v1.secretCopies().keySet().iterator().next();
    var v2Copy = v2.secretCopies().keySet().iterator().next();

    assertThat(ConfigSnapshots.prunableSecrets(List.of(v1Copy, v2Copy), List.of(v2.template())))
        .containsExactly(v1Copy);
    assertThat(ConfigSnapshots.prunable(List.of(v1Copy), List.of(v2.template())))
        .as("ConfigMap pruning looks at ConfigMap references only")
        .containsExactly(v1Copy);
  }

  private static String sha256(String text) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
