package dev.weir.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ManagedFieldsEntryBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The informers' caches keep what Weir reads of an object, and not its managed fields. */
class TrimmedItemStoreTest {

  @Test
  void keepsAServiceWithoutManagedFieldsOrLastAppliedAndWithItsOtherAnnotations() {
    var store = new TrimmedItemStore<Service>();
    var service =
        new ServiceBuilder()
            .withNewMetadata()
            .withNamespace("shop")
            .withName("checkout-stable")
            .withResourceVersion("7")
            .withAnnotations(
                Map.of(TrimmedItemStore.LAST_APPLIED, "{\"big\":true}", "team", "payments"))
            .withManagedFields(new ManagedFieldsEntryBuilder().withManager("kubectl").build())
            .endMetadata()
            .withNewSpec()
            .withSelector(Map.of("app", "checkout"))
            .endSpec()
            .build();

    store.put(store.getKey(service), service);

    var kept = store.get("shop/checkout-stable");
    assertThat(kept.getMetadata().getManagedFields()).isNullOrEmpty();
    assertThat(kept.getMetadata().getAnnotations()).isEqualTo(Map.of("team", "payments"));
    assertThat(kept.getMetadata().getResourceVersion()).isEqualTo("7");
    assertThat(kept.getSpec().getSelector()).isEqualTo(Map.of("app", "checkout"));
    assertThat(store.size()).isEqualTo(1);
  }
}
