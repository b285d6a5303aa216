package dev.weir.rollout;

import dev.weir.api.WellKnownNames;
import dev.weir.api.v1alpha1.Rollout;
import dev.weir.rollout.plan.ConfigSnapshots;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Carries out spec.configSnapshots ({@link ConfigSnapshots} decides): creates the immutable copies
 * of the ConfigMaps and offered Secrets a rollout's template references, owned by the rollout and
 * labelled with its name, and gives the rest of the reconcile the template that names them; tells
 * the rollout which Secrets it leaves as they are; deletes the copies that no ReplicaSet of the
 * rollout and no declared template names any more. Secrets come only from the informer of those
 * offered to snapshots: no other is ever fetched.
 */
final class ConfigCopies {

  private final KubernetesClient client;
  private final RolloutEventSources sources;
  private final UnsnapshottedSecrets unsnapshotted;

  ConfigCopies(
      KubernetesClient client, RolloutEventSources sources, UnsnapshottedSecrets unsnapshotted) {
    this.client = client;
    this.sources = sources;
    this.unsnapshotted = unsnapshotted;
  }

  /** The rollout with its template naming the copies, made first; as it is without the option. */
  Rollout release(Rollout rollout) {
    var spec = rollout.getSpec();
    if (spec == null || !Boolean.TRUE.equals(spec.configSnapshots) || spec.template == null) {
      return rollout;
    }
    var live = new HashMap<String, ConfigMap>();
    for (String name : ConfigSnapshots.referenced(spec.template)) {
      sources.configMap(rollout, name).ifPresent(c -> live.put(name, c));
    }
    var offered = new HashMap<String, Secret>();
    for (String name : ConfigSnapshots.referencedSecrets(spec.template)) {
      sources.snapshotSecret(rollout, name).ifPresent(s -> offered.put(name, s));
    }
    var snapshot = ConfigSnapshots.of(spec.template, live, offered);
    snapshot.copies().forEach((name, source) -> create(rollout, name, source));
    snapshot.secretCopies().forEach((name, source) -> create(rollout, name, source));
    unsnapshotted.tell(client, rollout, snapshot.secretsNotSnapshotted());
    Rollout released = Serialization.clone(rollout);
    released.getSpec().template = snapshot.template();
    return released;
  }

  /** Deletes the copies that neither the declared template nor a ReplicaSet names. */
  void prune(Rollout released, Collection<ReplicaSet> replicaSets) {
    var spec = released.getSpec();
    if (spec == null || !Boolean.TRUE.equals(spec.configSnapshots)) {
      return;
    }
    String namespace = released.getMetadata().getNamespace();
    var inUse =
        Stream.concat(
                Stream.of(spec.template),
                replicaSets.stream().map(rs -> rs.getSpec().getTemplate()))
            .toList();
    var configMapCopies =
        copiesOf(released, sources.configMaps().list(namespace).map(c -> c.getMetadata()));
    for (String copy : ConfigSnapshots.prunable(configMapCopies, inUse)) {
      client.configMaps().inNamespace(namespace).withName(copy).delete();
    }
    var secretCopies =
        copiesOf(released, sources.snapshotSecrets().list(namespace).map(s -> s.getMetadata()));
    for (String copy : ConfigSnapshots.prunableSecrets(secretCopies, inUse)) {
      client.secrets().inNamespace(namespace).withName(copy).delete();
    }
  }

  /** The names of the rollout's copies among these objects. */
  private static List<String> copiesOf(Rollout rollout, Stream<ObjectMeta> objects) {
    String name = rollout.getMetadata().getName();
    return objects
        .filter(m -> m.getLabels() != null)
        .filter(m -> m.getLabels().containsKey(WellKnownNames.CONFIG_SNAPSHOT_OF_LABEL))
        .filter(m -> name.equals(m.getLabels().get(WellKnownNames.ROLLOUT_LABEL)))
        .map(ObjectMeta::getName)
        .toList();
  }

  private void create(Rollout rollout, String name, ConfigMap source) {
    if (sources.configMap(rollout, name).isPresent()) {
      return;
    }
    var copy = new ConfigMap();
    copy.setMetadata(
        RolloutOwner.metadata(
            rollout,
            name,
            Map.of(WellKnownNames.CONFIG_SNAPSHOT_OF_LABEL, source.getMetadata().getName())));
    copy.setData(source.getData());
    copy.setBinaryData(source.getBinaryData());
    // The copy is what a revision's pods read: nobody, Weir included, may change it afterwards.
    copy.setImmutable(true);
    createOnce(copy);
  }

  private void create(Rollout rollout, String name, Secret source) {
    if (sources.snapshotSecret(rollout, name).isPresent()) {
      return;
    }
    var copy = new Secret();
    copy.setMetadata(
        RolloutOwner.metadata(
            rollout,
            name,
            Map.of(
                WellKnownNames.CONFIG_SNAPSHOT_OF_LABEL,
                source.getMetadata().getName(),
                // Keeps the copy in the view of Weir's informer, the only way Weir sees
                // Secrets: to know it exists, and to prune it.
                WellKnownNames.CONFIG_SNAPSHOT_LABEL,
                WellKnownNames.CONFIG_SNAPSHOT_OPT_IN)));
    // The type too: a kubernetes.io/tls or dockerconfigjson Secret keeps its meaning to readers.
    copy.setType(source.getType());
    copy.setData(source.getData());
    copy.setImmutable(true);
    createOnce(copy);
  }

  private void createOnce(HasMetadata copy) {
    try {
      client.resource(copy).create();
    } catch (KubernetesClientException e) {
      // Made by an earlier reconcile whose write the cache had not seen yet: the same data.
      if (e.getCode() != 409) {
        throw e;
      }
    }
  }
}
