package dev.weir.rollout.plan;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Which ConfigMaps a pod template references, the copies it is released with, and pruning. */
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
}
