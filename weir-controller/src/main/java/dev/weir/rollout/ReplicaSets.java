package dev.weir.rollout;

import dev.weir.api.WellKnownNames;
import dev.weir.api.v1alpha1.Rollout;
import dev.weir.rollout.plan.PodDecorations;
import dev.weir.rollout.plan.Revision;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Collectors;

/** The ReplicaSet of each revision: how it is built, read as a {@link Revision}, and changed. */
public final class ReplicaSets {

  private static final PatchContext MERGE =
      new PatchContext.Builder()
          .withPatchType(PatchType.JSON_MERGE)
          .withFieldManager(WellKnownNames.FIELD_MANAGER)
          .build();

  private final KubernetesClient client;

  public ReplicaSets(KubernetesClient client) {
    this.client = client;
  }

  public static String name(Rollout rollout, String hash) {
    return rollout.getMetadata().getName() + "-" + hash;
  }

  /** The ReplicaSet of a revision: the rollout's template and selector, plus the hash label. */
  public static ReplicaSet build(Rollout rollout, String hash, int replicas, long number) {
    var spec = rollout.getSpec();
    PodTemplateSpec template = Serialization.clone(spec.template);
    Map<String, String> labels = new HashMap<>(template.getMetadata().getLabels());
    labels.put(WellKnownNames.POD_TEMPLATE_HASH_LABEL, hash);
    template.getMetadata().setLabels(labels);
    Map<String, String> selector = new HashMap<>(spec.selector.getMatchLabels());
    selector.put(WellKnownNames.POD_TEMPLATE_HASH_LABEL, hash);
    return replicaSet(
        rollout,
        name(rollout, hash),
        labels,
        Map.of(WellKnownNames.REVISION_ANNOTATION, Long.toString(number)),
        selector,
        template,
        replicas);
  }

  private static ReplicaSet replicaSet(
      Rollout rollout,
      String name,
      Map<String, String> labels,
      Map<String, String> annotations,
      Map<String, String> selector,
      PodTemplateSpec template,
      int replicas) {
    var spec = rollout.getSpec();
    return new ReplicaSetBuilder()
        .withNewMetadata()
        .withName(name)
        .withNamespace(rollout.getMetadata().getNamespace())
        .withLabels(labels)
        .withAnnotations(new HashMap<>(annotations))
        .withOwnerReferences(RolloutOwner.of(rollout))
        .endMetadata()
        .withNewSpec()
        .withReplicas(replicas)
        .withMinReadySeconds(spec.minReadySeconds == null ? 0 : spec.minReadySeconds)
        .withSelector(new LabelSelectorBuilder().withMatchLabels(selector).build())
        .withTemplate(template)
        .endSpec()
        .build();
  }

  /**
   * The baseline of a release: the stable ReplicaSet's pod template without its pod-template hash
   * (so the stable Service does not select these pods) and with the baseline label (which the
   * rollout's baselineService selects), annotated with the canary it runs beside. The ReplicaSet
   * itself keeps the hash label, for the informer that watches the rollout's ReplicaSets.
   */
  public static ReplicaSet buildBaseline(
      Rollout rollout, ReplicaSet stable, String canaryHash, int replicas) {
    String stableHash =
        stable.getMetadata().getLabels().get(WellKnownNames.POD_TEMPLATE_HASH_LABEL);
    PodTemplateSpec template = Serialization.clone(stable.getSpec().getTemplate());
    Map<String, String> podLabels = new HashMap<>(orEmpty(template.getMetadata().getLabels()));
    podLabels.remove(WellKnownNames.POD_TEMPLATE_HASH_LABEL);
    podLabels.put(WellKnownNames.BASELINE_LABEL, "true");
    template.getMetadata().setLabels(podLabels);
    Map<String, String> annotations =
        new HashMap<>(orEmpty(template.getMetadata().getAnnotations()));
    annotations.put(WellKnownNames.BASELINE_FOR_ANNOTATION, canaryHash);
    template.getMetadata().setAnnotations(annotations);
    Map<String, String> selector = new HashMap<>(rollout.getSpec().selector.getMatchLabels());
    selector.put(WellKnownNames.BASELINE_LABEL, "true");
    Map<String, String> labels = new HashMap<>(podLabels);
    labels.put(WellKnownNames.POD_TEMPLATE_HASH_LABEL, stableHash);
    return replicaSet(
        rollout,
        rollout.getMetadata().getName() + "-baseline-" + stableHash,
        labels,
        orEmpty(stable.getMetadata().getAnnotations()).entrySet().stream()
            .filter(a -> a.getKey().equals(WellKnownNames.REVISION_ANNOTATION))
            .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue)),
        selector,
        template,
        replicas);
  }

  /** Whether a ReplicaSet is a rollout's baseline rather than one of its revisions. */
  public static boolean isBaseline(ReplicaSet rs) {
    var labels = rs.getMetadata().getLabels();
    return labels != null && labels.containsKey(WellKnownNames.BASELINE_LABEL);
  }

  /** Reads a ReplicaSet as the planner sees it. */
  public static Revision revision(ReplicaSet rs) {
    var annotations = rs.getMetadata().getAnnotations();
    var status = rs.getStatus();
    String at =
        annotations == null ? null : annotations.get(WellKnownNames.SCALE_DOWN_AT_ANNOTATION);
    String number =
        annotations == null ? null : annotations.get(WellKnownNames.REVISION_ANNOTATION);
    var template =
        rs.getSpec().getTemplate() == null ? null : rs.getSpec().getTemplate().getMetadata();
    return new Revision(
        rs.getMetadata().getLabels().get(WellKnownNames.POD_TEMPLATE_HASH_LABEL),
        rs.getMetadata().getName(),
        orZero(rs.getSpec().getReplicas()),
        status == null ? 0 : orZero(status.getReplicas()),
        status == null ? 0 : orZero(status.getReadyReplicas()),
        status == null ? 0 : orZero(status.getAvailableReplicas()),
        number == null ? 0 : Long.parseLong(number),
        at == null ? null : Instant.parse(at),
        orEmpty(template == null ? null : template.getLabels()),
        orEmpty(template == null ? null : template.getAnnotations()));
  }

  public ReplicaSet create(ReplicaSet rs) {
    return client.apps().replicaSets().resource(rs).create();
  }

  /** Sets replicas and the scheduled scale-down (removed when {@code scaleDownAt} is null). */
  public ReplicaSet scale(String namespace, String name, int replicas, Instant scaleDownAt) {
    var patch = Serialization.jsonMapper().createObjectNode();
    patch.putObject("spec").put("replicas", replicas);
    var annotations = patch.putObject("metadata").putObject("annotations");
    if (scaleDownAt == null) {
      annotations.putNull(WellKnownNames.SCALE_DOWN_AT_ANNOTATION);
    } else {
      annotations.put(WellKnownNames.SCALE_DOWN_AT_ANNOTATION, scaleDownAt.toString());
    }
    return client.resource(named(namespace, name)).patch(MERGE, patch.toString());
  }

  /**
   * A ReplicaSet that only names one, to patch it through: patched by name alone, the client reads
   * the whole object from the API server first, one GET per write.
   */
  private static ReplicaSet named(String namespace, String name) {
    return new ReplicaSetBuilder()
        .withNewMetadata()
        .withNamespace(namespace)
        .withName(name)
        .endMetadata()
        .build();
  }

  /**
   * Puts a decoration on a ReplicaSet's pod template (for the pods it makes from now on) and on the
   * pods it has already made.
   */
  ReplicaSet decorate(ReplicaSet rs, PodDecorations.Decoration decoration) {
    String namespace = rs.getMetadata().getNamespace();
    var metadata = new java.util.HashMap<String, Object>();
    metadata.put("labels", decoration.labels());
    metadata.put("annotations", decoration.annotations());
    String patch =
        Serialization.asJson(Map.of("spec", Map.of("template", Map.of("metadata", metadata))));
    var decorated =
        client.resource(named(namespace, rs.getMetadata().getName())).patch(MERGE, patch);
    decoratePods(rs, decoration);
    return decorated;
  }

  /**
   * Puts a decoration on the pods of a ReplicaSet that do not wear it yet. Needed beyond {@link
   * #decorate}: the ReplicaSet controller may still make pods from the template it had before the
   * decoration (its cache lags the patch), and those must be decorated when they appear.
   */
  void decoratePods(ReplicaSet rs, PodDecorations.Decoration decoration) {
    String namespace = rs.getMetadata().getNamespace();
    var metadata = new java.util.HashMap<String, Object>();
    metadata.put("labels", decoration.labels());
    metadata.put("annotations", decoration.annotations());
    String podPatch = Serialization.asJson(Map.of("metadata", metadata));
    String hash = rs.getMetadata().getLabels().get(WellKnownNames.POD_TEMPLATE_HASH_LABEL);
    var pods =
        client
            .pods()
            .inNamespace(namespace)
            .withLabel(WellKnownNames.POD_TEMPLATE_HASH_LABEL, hash)
            .list();
    for (var pod : pods.getItems()) {
      if (!decoration.appliedTo(
          pod.getMetadata().getLabels(), pod.getMetadata().getAnnotations())) {
        // Patched through the object listed: no read of each pod (Weir may only list and patch).
        client.resource(pod).patch(MERGE, podPatch);
      }
    }
  }

  public void delete(String namespace, String name) {
    client.apps().replicaSets().inNamespace(namespace).withName(name).delete();
  }

  private static Map<String, String> orEmpty(Map<String, String> map) {
    return map == null ? Map.of() : map;
  }

  private static int orZero(Integer value) {
    return value == null ? 0 : value;
  }

  /**
   * Sets the replicas of the Deployment a rollout took over, through its scale subresource: the
   * Deployment controller keeps running it, only its size changes.
   */
  public void scaleDeployment(String namespace, String name, int replicas) {
    client.apps().deployments().inNamespace(namespace).withName(name).scale(replicas);
  }
}
