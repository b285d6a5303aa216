package dev.weir.rollout;

import dev.weir.analysis.SecretPolicy;
import dev.weir.api.v1alpha1.AnalysisTemplateRef;
import dev.weir.api.v1alpha1.AnalysisTemplateSpec;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.CustomResource;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The templates whose resolution reads a given template: itself, and every template that includes
 * it, directly or through others. When a template appears, changes or goes, the rollouts that name
 * any of these measure something else (or can now be resolved), so each of them is woken, not only
 * those naming the changed template.
 *
 * <p>A namespaced template's reference without {@code clusterScope} is to its own namespace; a
 * ClusterAnalysisTemplate's is to the namespace of the rollout resolving it, so it is taken to
 * reach a template of that name in any namespace (waking a few rollouts too many is harmless;
 * missing one leaves it waiting for the periodic reconcile).
 */
final class TemplateIncluders {

  /** A template: a ClusterAnalysisTemplate when {@code namespace} is null. */
  record Template(String namespace, String name) {

    boolean clusterScoped() {
      return namespace == null;
    }

    static Template of(HasMetadata object) {
      return new Template(object.getMetadata().getNamespace(), object.getMetadata().getName());
    }
  }

  private TemplateIncluders() {}

  /**
   * @param changed the template that changed
   * @param known every template in the caches, of both kinds
   * @return {@code changed} and every template reaching it through includes
   */
  static Set<Template> reaching(
      Template changed, Collection<? extends CustomResource<AnalysisTemplateSpec, ?>> known) {
    var reached = new LinkedHashSet<Template>();
    reached.add(changed);
    var todo = new ArrayDeque<Template>();
    todo.add(changed);
    while (!todo.isEmpty()) {
      Template target = todo.poll();
      for (var includer : known) {
        var spec = includer.getSpec();
        List<AnalysisTemplateRef> refs = spec == null ? null : spec.templates;
        if (refs == null) {
          continue;
        }
        Template candidate = Template.of(includer);
        if (!reached.contains(candidate)
            && refs.stream().anyMatch(ref -> refersTo(candidate, ref, target))) {
          reached.add(candidate);
          todo.add(candidate);
        }
      }
    }
    return reached;
  }

  /**
   * The templates whose resolution reads Secret {@code name} of {@code namespace}: those naming it
   * in their args or credentials (of that namespace, or cluster-scoped: they read the Secrets of
   * the resolving rollout's namespace), and every template reaching them.
   */
  static Set<Template> readingSecret(
      String namespace,
      String name,
      Collection<? extends CustomResource<AnalysisTemplateSpec, ?>> known) {
    var reading = new LinkedHashSet<Template>();
    for (var template : known) {
      var spec = template.getSpec();
      String at = template.getMetadata().getNamespace();
      if (spec != null
          && (at == null || at.equals(namespace))
          && SecretPolicy.secretsNamed(spec.args, spec.metrics).contains(name)) {
        reading.addAll(reaching(Template.of(template), known));
      }
    }
    return reading;
  }

  private static boolean refersTo(Template includer, AnalysisTemplateRef ref, Template target) {
    if (!Objects.equals(ref.templateName, target.name())) {
      return false;
    }
    if (Boolean.TRUE.equals(ref.clusterScope)) {
      return target.clusterScoped();
    }
    return !target.clusterScoped()
        && (includer.clusterScoped() || includer.namespace().equals(target.namespace()));
  }
}
