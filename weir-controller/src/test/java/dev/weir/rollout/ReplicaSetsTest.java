package dev.weir.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** A ReplicaSet write is one request: a fleet's step transitions pay no read before each write. */
@EnableKubernetesMockClient(crud = true)
class ReplicaSetsTest {

  KubernetesMockServer server;
  KubernetesClient client;

  @Test
  void scalingSendsOnePatchAndNoRead() throws InterruptedException {
    client
        .apps()
        .replicaSets()
        .resource(
            new ReplicaSetBuilder()
                .withNewMetadata()
                .withNamespace("shop")
                .withName("checkout-5d8f")
                .endMetadata()
                .withNewSpec()
                .withReplicas(5)
                .endSpec()
                .build())
        .create();
    int before = server.getRequestCount();

    var scaled =
        new ReplicaSets(client)
            .scale("shop", "checkout-5d8f", 2, Instant.parse("2026-12-03T16:00:00Z"));

    assertThat(scaled.getSpec().getReplicas()).isEqualTo(2);
    assertThat(scaled.getMetadata().getAnnotations()).isNotEmpty();
    assertThat(server.getRequestCount() - before).as("requests for one scale").isEqualTo(1);
    assertThat(server.getLastRequest().getMethod()).isEqualTo("PATCH");
  }

  @Test
  void theBaselineIsStablesTemplateThatTheStableServiceCannotSelect() {
    var rollout =
        io.fabric8.kubernetes.client.utils.Serialization.unmarshal(
            """
            apiVersion: weir.dev/v1alpha1
            kind: Rollout
            metadata: {name: checkout, namespace: shop, uid: 1234}
            spec:
              selector: {matchLabels: {app: checkout}}
              template:
                metadata: {labels: {app: checkout}, annotations: {traffic.weir.dev/latency-ms: "20"}}
                spec: {containers: [{name: app, image: checkout:1}]}
            """,
            dev.weir.api.v1alpha1.Rollout.class);
    var stable = ReplicaSets.build(rollout, "5d8f", 5, 1);

    var baseline = ReplicaSets.buildBaseline(rollout, stable, "7c9a", 2);

    assertThat(baseline.getMetadata().getName()).isEqualTo("checkout-baseline-5d8f");
    assertThat(baseline.getSpec().getReplicas()).isEqualTo(2);
    assertThat(baseline.getSpec().getTemplate().getMetadata().getLabels())
        .containsExactlyInAnyOrderEntriesOf(
            java.util.Map.of("app", "checkout", "weir.dev/baseline", "true"));
    assertThat(baseline.getSpec().getTemplate().getMetadata().getAnnotations())
        .containsEntry("traffic.weir.dev/latency-ms", "20")
        .containsEntry("weir.dev/baseline-for", "7c9a");
    assertThat(baseline.getSpec().getSelector().getMatchLabels())
        .containsExactlyInAnyOrderEntriesOf(
            java.util.Map.of("app", "checkout", "weir.dev/baseline", "true"));
    assertThat(baseline.getSpec().getTemplate().getSpec())
        .isEqualTo(stable.getSpec().getTemplate().getSpec());
    assertThat(ReplicaSets.isBaseline(baseline)).isTrue();
    assertThat(ReplicaSets.isBaseline(stable)).isFalse();
    assertThat(new OwnedReplicaSets(java.util.List.of(stable, baseline)).revisions())
        .as("the baseline is no revision")
        .containsOnlyKeys("5d8f");
  }
}
