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
}
