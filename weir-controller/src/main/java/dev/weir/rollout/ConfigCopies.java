package dev.weir.rollout;

import dev.weir.api.WellKnownNames;
import dev.weir.api.v1alpha1.Rollout;
import dev.weir.rollout.plan.ConfigSnapshots;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
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
 * of the ConfigMaps a rollout's template references, owned by the rollout and labelled with its
 * name, and gives the rest of the reconcile the template that names them; deletes the copies that
 * no ReplicaSet of the rollout and no declared template names any more.
 */
final class ConfigCopies {

  private final KubernetesClient client;
  private final RolloutEventSources sources;

  ConfigCopies(KubernetesClient client, RolloutEventSources sources) {
    this.client = client;
    this.sources = sources;
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
    var snapshot = ConfigSnapshots.of(spec.template, live);
    snapshot.copies().forEach((name, source) -> create(rollout, name, source));
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
    var copies =
        sources
            .configMaps()
            .list(released.getMetadata().getNamespace())
            .filter(c -> c.getMetadata().getLabels() != null)
            .filter(
                c ->
                    c.getMetadata()
                        .getLabels()
                        .containsKey(WellKnownNames.CONFIG_SNAPSHOT_OF_LABEL))
            .filter(
                c ->
                    released
                        .getMetadata()
                        .getName()
                        .equals(c.getMetadata().getLabels().get(WellKnownNames.ROLLOUT_LABEL)))
            .map(c -> c.getMetadata().getName())
            .toList();
    var inUse =
        Stream.concat(
                Stream.of(spec.template),
                replicaSets.stream().map(rs -> rs.getSpec().getTemplate()))
            .toList();
    for (String copy : ConfigSnapshots.prunable(copies, inUse)) {
      client
          .configMaps()
          .inNamespace(released.getMetadata().getNamespace())
          .withName(copy)
          .delete();
    }
  }

  private void create(Rollout rollout, String name, ConfigMap source) {
    if (sources.configMap(rollout, name).isPresent()) {
      return;
    }
    var copy = new ConfigMap();
    copy.setMetadata(
        new ObjectMetaBuilder()
            .withName(name)
            .withNamespace(rollout.getMetadata().getNamespace())
            .withLabels(
                Map.of(
                    WellKnownNames.ROLLOUT_LABEL,
                    rollout.getMetadata().getName(),
                    WellKnownNames.CONFIG_SNAPSHOT_OF_LABEL,
                    source.getMetadata().getName()))
            .withOwnerReferences(List.of(RolloutOwner.of(rollout)))
            .build());
    copy.setData(source.getData());
    copy.setBinaryData(source.getBinaryData());
    // The copy is what a revision's pods read: nobody, Weir included, may change it afterwards.
    copy.setImmutable(true);
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
