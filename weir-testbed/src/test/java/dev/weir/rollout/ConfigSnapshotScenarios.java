package dev.weir.rollout;

import static dev.weir.testing.RolloutAssert.awaitRollout;
import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.api.WellKnownNames;
import dev.weir.testing.ClassicCanary;
import dev.weir.testing.Manifests;
import dev.weir.testing.Tier;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Configuration released as revisions (spec.configSnapshots): the classic canary whose pods read
 * the log level from the ConfigMap app-config. A change of its data is released through the steps
 * like an image; the stable pods keep reading v1's own copy, before and after an abort.
 */
abstract class ConfigSnapshotScenarios extends ReleaseStories {

  ConfigSnapshotScenarios(Tier tier) {
    super(tier);
  }

  @Test
  void aConfigMapChangeIsReleasedAsACanaryAndAnAbortLeavesV1OnItsOwnCopy() {
    startKubeletAndWeir(Optional.empty(), 0);
    Manifests.apply(client(), "examples/canary-istio/namespace.yaml");
    setLogLevel("info");
    checkout =
        ClassicCanary.givenStableV1(
            client(),
            rollout -> {
              rollout.getSpec().configSnapshots = true;
              rollout
                  .getSpec()
                  .template
                  .getSpec()
                  .getContainers()
                  .get(0)
                  .getEnv()
                  .add(
                      new EnvVarBuilder()
                          .withName("LOG_LEVEL")
                          .withNewValueFrom()
                          .withNewConfigMapKeyRef("level", "app-config", false)
                          .endValueFrom()
                          .build());
            });
    String v1 = checkout.status().stableRS;
    String v1Copy = configMapReadBy(v1);
    assertThat(v1Copy).startsWith("app-config-").isNotEqualTo("app-config");
    assertThat(copy(v1Copy).getImmutable()).as("the copy is immutable").isTrue();
    assertThat(copy(v1Copy).getData()).isEqualTo(Map.of("level", "info"));
    assertThat(copy(v1Copy).getMetadata().getOwnerReferences())
        .singleElement()
        .satisfies(
            owner ->
                assertThat(owner.getKind() + "/" + owner.getName()).isEqualTo("Rollout/checkout"));

    setLogLevel("debug");

    String v2 =
        awaitRollout(
                checkout,
                "the new configuration at 10 %",
                r -> r.isPausedAtStep(2).withCanaryWeight(10))
            .currentPodHash;
    assertThat(v2).isNotEqualTo(v1);
    String v2Copy = configMapReadBy(v2);
    assertThat(v2Copy).startsWith("app-config-").isNotEqualTo(v1Copy);
    assertThat(copy(v2Copy).getData()).isEqualTo(Map.of("level", "debug"));
    assertThat(configMapReadBy(v1)).as("the stable pods' template").isEqualTo(v1Copy);

    checkout.abort();

    awaitRollout(
        checkout,
        "aborted back to v1 on its own copy",
        r -> r.isAbortedBackTo(v1).withCanaryWeight(0).hasReplicas(v1, 5));
    assertThat(configMapReadBy(v1)).as("the stable pods' template").isEqualTo(v1Copy);
    assertThat(copy(v1Copy).getData()).isEqualTo(Map.of("level", "info"));
  }

  /** Writes app-config's data, as a GitOps sync of a changed ConfigMap does. */
  private void setLogLevel(String level) {
    ConfigMap configMap =
        new ConfigMapBuilder()
            .withNewMetadata()
            .withName("app-config")
            .withNamespace(namespace)
            .endMetadata()
            .withData(Map.of("level", level))
            .build();
    client().resource(configMap).createOr(existing -> existing.update());
  }

  /** The ConfigMap the pod template of the revision's ReplicaSet reads LOG_LEVEL from. */
  private String configMapReadBy(String revision) {
    var rs =
        checkout.replicaSets().stream()
            .filter(
                r ->
                    revision.equals(
                        r.getMetadata().getLabels().get(WellKnownNames.POD_TEMPLATE_HASH_LABEL)))
            .findFirst()
            .orElseThrow();
    return rs.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv().stream()
        .filter(e -> "LOG_LEVEL".equals(e.getName()))
        .findFirst()
        .orElseThrow()
        .getValueFrom()
        .getConfigMapKeyRef()
        .getName();
  }

  private ConfigMap copy(String name) {
    return client().configMaps().inNamespace(namespace).withName(name).get();
  }
}
