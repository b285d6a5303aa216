package dev.weir.rollout;

import dev.weir.api.WellKnownNames;
import dev.weir.api.v1alpha1.Rollout;
import dev.weir.observability.EventRecorder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Clock;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Tells a rollout with spec.configSnapshots, by a Normal Event, which Secrets its template names
 * are left as they are: once for each set of names (not at every reconcile), again after the
 * controller restarts. Weir cannot tell a missing Secret from one that did not opt in without
 * reading it, so the words cover both.
 */
final class UnsnapshottedSecrets {

  static final String REASON = "SecretNotSnapshotted";

  private final Clock clock;
  // By the rollout's uid: the names last told.
  private final Map<String, Set<String>> told = new ConcurrentHashMap<>();

  UnsnapshottedSecrets(Clock clock) {
    this.clock = clock;
  }

  void tell(KubernetesClient client, Rollout rollout, Set<String> names) {
    String uid = rollout.getMetadata().getUid();
    if (names.isEmpty()) {
      told.remove(uid);
      return;
    }
    if (names.equals(told.put(uid, Set.copyOf(names)))) {
      return;
    }
    String message =
        String.format(
            "Secret %s not snapshotted: referenced as it is, so a change of it reaches the pods"
                + " without a release. Weir reads only Secrets their owner opted in; to release"
                + " changes as revisions, label it %s=%s",
            String.join(", ", names.stream().sorted().toList()),
            WellKnownNames.CONFIG_SNAPSHOT_LABEL,
            WellKnownNames.CONFIG_SNAPSHOT_OPT_IN);
    new EventRecorder(client).record(rollout, false, REASON, message, clock.instant());
  }

  /** A deleted rollout is not told again. */
  void forget(Rollout rollout) {
    told.remove(rollout.getMetadata().getUid());
  }
}
