package dev.weir.rollout;

import static dev.weir.testing.RolloutAssert.awaitRollout;
import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.api.WellKnownNames;
import dev.weir.testing.ClassicCanary;
import dev.weir.testing.Manifests;
import dev.weir.testing.Tier;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Configuration released as revisions (spec.configSnapshots): the classic canary whose pods read
 * the log level from the ConfigMap app-config, or a token from the Secret app-token its owner
 * offered. A change of its data is released through the steps like an image; the stable pods keep
 * reading v1's own copy, before and after an abort. A Secret its owner did not offer is neither
 * copied nor read.
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

  @Test
  void anOfferedSecretsChangeIsReleasedAsACanaryAndOneNotOfferedIsNeitherCopiedNorRead() {
    startKubeletAndWeir(Optional.empty(), 0);
    Manifests.apply(client(), "examples/canary-istio/namespace.yaml");
    setSecret("app-token", "token", "v1-token", true);
    setSecret("db-password", "password", "not-for-weir", false);
    checkout =
        ClassicCanary.givenStableV1(
            client(),
            rollout -> {
              rollout.getSpec().configSnapshots = true;
              var env = rollout.getSpec().template.getSpec().getContainers().get(0).getEnv();
              env.add(
                  new EnvVarBuilder()
                      .withName("TOKEN")
                      .withNewValueFrom()
                      .withNewSecretKeyRef("token", "app-token", false)
                      .endValueFrom()
                      .build());
              env.add(
                  new EnvVarBuilder()
                      .withName("DB_PASSWORD")
                      .withNewValueFrom()
                      .withNewSecretKeyRef("password", "db-password", false)
                      .endValueFrom()
                      .build());
            });
    String v1 = checkout.status().stableRS;
    String v1Copy = secretReadBy(v1, "TOKEN");
    assertThat(v1Copy).matches("app-token-[0-9a-f]{10}");
    var copy = secret(v1Copy);
    assertThat(copy.getImmutable()).as("the copy is immutable").isTrue();
    assertThat(copy.getType()).as("the copy keeps the type").isEqualTo(TOKEN_TYPE);
    assertThat(copy.getData()).isEqualTo(encoded("token", "v1-token"));
    assertThat(copy.getMetadata().getLabels())
        .containsEntry(WellKnownNames.CONFIG_SNAPSHOT_OF_LABEL, "app-token")
        .containsEntry(WellKnownNames.ROLLOUT_LABEL, "checkout");
    assertThat(copy.getMetadata().getOwnerReferences())
        .singleElement()
        .satisfies(
            owner ->
                assertThat(owner.getKind() + "/" + owner.getName()).isEqualTo("Rollout/checkout"));
    assertThat(secretReadBy(v1, "DB_PASSWORD"))
        .as("a Secret not offered is referenced as it is")
        .isEqualTo("db-password");
    awaitRollout(
        checkout,
        "told that db-password is not snapshotted",
        r -> r.recorded(UnsnapshottedSecrets.REASON));
    assertThat(notSnapshottedMessages())
        .singleElement()
        .satisfies(
            m ->
                assertThat(m)
                    .contains("db-password", WellKnownNames.CONFIG_SNAPSHOT_LABEL + "=true")
                    .doesNotContain("not-for-weir"));

    setSecret("app-token", "token", "v2-token", true);

    String v2 =
        awaitRollout(
                checkout, "the new token at 10 %", r -> r.isPausedAtStep(2).withCanaryWeight(10))
            .currentPodHash;
    assertThat(v2).isNotEqualTo(v1);
    String v2Copy = secretReadBy(v2, "TOKEN");
    assertThat(v2Copy).startsWith("app-token-").isNotEqualTo(v1Copy);
    assertThat(secret(v2Copy).getData()).isEqualTo(encoded("token", "v2-token"));
    assertThat(secretReadBy(v1, "TOKEN")).as("the stable pods' template").isEqualTo(v1Copy);

    checkout.abort();

    awaitRollout(
        checkout,
        "aborted back to v1 on its own copy",
        r -> r.isAbortedBackTo(v1).withCanaryWeight(0).hasReplicas(v1, 5));
    assertThat(secretReadBy(v1, "TOKEN")).as("the stable pods' template").isEqualTo(v1Copy);
    assertThat(secret(v1Copy).getData()).isEqualTo(encoded("token", "v1-token"));
    assertThat(
            client()
                .secrets()
                .inNamespace(namespace)
                .withLabel(WellKnownNames.CONFIG_SNAPSHOT_OF_LABEL, "db-password")
                .list()
                .getItems())
        .as("no copy of the Secret not offered")
        .isEmpty();
    assertThat(notSnapshottedMessages()).as("told once").hasSize(1);
    assertWeirNeverAskedFor("db-password");
  }

  /**
   * Checks that Weir never asked the API server for the Secret, and asked for others only by the
   * opt-in labels; a tier that cannot see Weir's requests checks nothing.
   */
  void assertWeirNeverAskedFor(String secret) {}

  private static final String TOKEN_TYPE = "example.dev/token";

  /** Writes a Secret, offered to snapshots or not, as its owner's GitOps sync does. */
  private void setSecret(String name, String key, String value, boolean offered) {
    var secret =
        new SecretBuilder()
            .withNewMetadata()
            .withName(name)
            .withNamespace(namespace)
            .withLabels(
                offered
                    ? Map.of(
                        WellKnownNames.CONFIG_SNAPSHOT_LABEL, WellKnownNames.CONFIG_SNAPSHOT_OPT_IN)
                    : Map.of())
            .endMetadata()
            .withType(TOKEN_TYPE)
            .withData(encoded(key, value))
            .build();
    client().resource(secret).createOr(existing -> existing.update());
  }

  private static Map<String, String> encoded(String key, String value) {
    return Map.of(key, Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8)));
  }

  /** The messages of the Events telling the rollout which Secrets are not snapshotted. */
  private List<String> notSnapshottedMessages() {
    return client().v1().events().inNamespace(namespace).list().getItems().stream()
        .filter(e -> UnsnapshottedSecrets.REASON.equals(e.getReason()))
        .filter(e -> "checkout".equals(e.getInvolvedObject().getName()))
        .map(Event::getMessage)
        .toList();
  }

  /** The Secret the pod template of the revision's ReplicaSet reads the variable from. */
  private String secretReadBy(String revision, String variable) {
    return env(revision, variable).getValueFrom().getSecretKeyRef().getName();
  }

  private EnvVar env(String revision, String variable) {
    var rs =
        checkout.replicaSets().stream()
            .filter(
                r ->
                    revision.equals(
                        r.getMetadata().getLabels().get(WellKnownNames.POD_TEMPLATE_HASH_LABEL)))
            .findFirst()
            .orElseThrow();
    return rs.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv().stream()
        .filter(e -> variable.equals(e.getName()))
        .findFirst()
        .orElseThrow();
  }

  private Secret secret(String name) {
    return client().secrets().inNamespace(namespace).withName(name).get();
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
