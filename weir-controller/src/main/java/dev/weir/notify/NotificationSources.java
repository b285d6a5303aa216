package dev.weir.notify;

import dev.weir.api.v1alpha1.NotificationPolicy;
import io.fabric8.kubernetes.api.model.ConfigMap;
import java.util.List;
import java.util.Optional;

/**
 * What the notifier reads, from the controller's informer caches: the policies, the opted-in
 * Secrets, and the rollouts' ledgers.
 */
public interface NotificationSources {

  List<NotificationPolicy> policies(String namespace);

  Optional<NotificationPolicy> policy(String namespace, String name);

  /** The value of a key of a Secret that opted in; empty when it is missing or did not opt in. */
  Optional<String> secret(String namespace, String name, String key);

  Optional<ConfigMap> ledger(String namespace, String name);
}
