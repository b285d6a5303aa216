package dev.weir.traffic;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.api.WellKnownNames;
import dev.weir.api.v1alpha1.Rollout;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Pinning a Service is one request, the Service read from the cache: a fleet's step transitions pay
 * no read before each write; the write's response is handed back to the cache.
 */
@EnableKubernetesMockClient(crud = true)
class ServiceRouterTest {

  KubernetesMockServer server;
  KubernetesClient client;

  @Test
  void pinningTheStableServiceSendsOnePatchAndNoRead() throws IOException, InterruptedException {
    var rollout =
        Serialization.unmarshal(
            Files.readString(Path.of("examples/canary-istio/rollout.yaml")), Rollout.class);
    var service =
        client
            .services()
            .resource(
                new ServiceBuilder()
                    .withNewMetadata()
                    .withNamespace("shop")
                    .withName("checkout-stable")
                    .endMetadata()
                    .withNewSpec()
                    .withSelector(Map.of("app", "checkout"))
                    .endSpec()
                    .build())
            .create();
    var written = new ArrayList<HasMetadata>();
    var cache =
        new TrafficObjects() {
          @Override
          public <R extends HasMetadata> Optional<R> get(
              Class<R> kind, String namespace, String name) {
            return Optional.of(kind.cast(service));
          }

          @Override
          public <R extends HasMetadata> void written(R before, R after) {
            written.add(after);
          }
        };
    int before = server.getRequestCount();

    new ServiceRouter(client, cache).pin(rollout, Side.STABLE, "5d8f");

    assertThat(server.getRequestCount() - before).as("requests for one pin").isEqualTo(1);
    assertThat(server.getLastRequest().getMethod()).isEqualTo("PATCH");
    assertThat(written)
        .singleElement()
        .extracting(s -> ((Service) s).getSpec().getSelector())
        .isEqualTo(Map.of("app", "checkout", WellKnownNames.POD_TEMPLATE_HASH_LABEL, "5d8f"));
    assertThat(
            client
                .services()
                .inNamespace("shop")
                .withName("checkout-stable")
                .get()
                .getSpec()
                .getSelector())
        .containsEntry("app", "checkout")
        .containsEntry(WellKnownNames.POD_TEMPLATE_HASH_LABEL, "5d8f");
  }
}
