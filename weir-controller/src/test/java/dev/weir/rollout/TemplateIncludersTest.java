package dev.weir.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.api.v1alpha1.AnalysisArgument;
import dev.weir.api.v1alpha1.AnalysisTemplate;
import dev.weir.api.v1alpha1.AnalysisTemplateRef;
import dev.weir.api.v1alpha1.AnalysisTemplateSpec;
import dev.weir.api.v1alpha1.ArgumentValueFrom;
import dev.weir.api.v1alpha1.ClusterAnalysisTemplate;
import dev.weir.api.v1alpha1.Metric;
import dev.weir.rollout.TemplateIncluders.Template;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.SecretKeySelector;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Which templates' rollouts wake when a template changes (those reaching it through includes), and
 * when an opted-in Secret appears or changes (those naming it, and those reaching them).
 */
class TemplateIncludersTest {

  private static AnalysisTemplateRef ref(String name, boolean cluster) {
    var ref = new AnalysisTemplateRef(name);
    ref.clusterScope = cluster ? Boolean.TRUE : null;
    return ref;
  }

  private static AnalysisTemplate namespaced(String ns, String name, AnalysisTemplateRef... refs) {
    var t = new AnalysisTemplate();
    t.setMetadata(new ObjectMetaBuilder().withNamespace(ns).withName(name).build());
    t.setSpec(new AnalysisTemplateSpec());
    t.getSpec().templates = refs.length == 0 ? null : List.of(refs);
    return t;
  }

  private static ClusterAnalysisTemplate cluster(String name, AnalysisTemplateRef... refs) {
    var t = new ClusterAnalysisTemplate();
    t.setMetadata(new ObjectMetaBuilder().withName(name).build());
    t.setSpec(new AnalysisTemplateSpec());
    t.getSpec().templates = refs.length == 0 ? null : List.of(refs);
    return t;
  }

  @SafeVarargs
  private static List<CustomResource<AnalysisTemplateSpec, ?>> known(
      CustomResource<AnalysisTemplateSpec, ?>... templates) {
    return new ArrayList<>(List.of(templates));
  }

  @Test
  void anIncludedTemplateReachesEveryTemplateAboveIt() {
    var templates =
        known(
            namespaced("shop", "release-gate", ref("latency", false)),
            namespaced("shop", "latency", ref("p99", false)),
            namespaced("shop", "p99"),
            namespaced("shop", "unrelated", ref("success-rate", false)));

    assertThat(TemplateIncluders.reaching(new Template("shop", "p99"), templates))
        .containsExactly(
            new Template("shop", "p99"),
            new Template("shop", "latency"),
            new Template("shop", "release-gate"));
  }

  @Test
  void aReferenceWithoutClusterScopeStaysInItsNamespace() {
    var templates =
        known(
            namespaced("shop", "gate", ref("p99", false)),
            namespaced("payments", "gate", ref("p99", true)),
            cluster("platform-gate", ref("p99", false)));

    assertThat(TemplateIncluders.reaching(new Template("shop", "p99"), templates))
        .containsExactlyInAnyOrder(
            new Template("shop", "p99"),
            new Template("shop", "gate"),
            // a cluster template's plain reference is to the resolving rollout's namespace
            new Template(null, "platform-gate"));
    assertThat(TemplateIncluders.reaching(new Template(null, "p99"), templates))
        .containsExactlyInAnyOrder(new Template(null, "p99"), new Template("payments", "gate"));
  }

  @Test
  void aCycleOfIncludesEnds() {
    var templates =
        known(
            namespaced("shop", "a", ref("b", false)),
            namespaced("shop", "b", ref("a", false)),
            namespaced("shop", "c", ref("a", false)));

    assertThat(TemplateIncluders.reaching(new Template("shop", "a"), templates))
        .containsExactlyInAnyOrder(
            new Template("shop", "a"), new Template("shop", "b"), new Template("shop", "c"));
  }

  @Test
  void aSecretIsReadByTheTemplatesNamingItInItsNamespaceOrClusterWideAndThoseIncludingThem() {
    var token = new AnalysisArgument("token", null);
    token.valueFrom = new ArgumentValueFrom();
    token.valueFrom.secretKeyRef = new SecretKeySelector("token", "prometheus-token", false);
    var named = namespaced("shop", "tenant-check");
    named.getSpec().args = List.of(token);
    var elsewhere = namespaced("payments", "tenant-check");
    elsewhere.getSpec().args = List.of(token);
    var platform = cluster("platform-check");
    platform.getSpec().metrics =
        List.of(
            Serialization.unmarshal(
                "name: m\nprovider: {prometheus: {query: up, authentication:"
                    + " {bearerToken: {name: prometheus-token, key: token}}}}",
                Metric.class));
    var templates =
        known(
            named,
            elsewhere,
            platform,
            namespaced("shop", "release-gate", ref("tenant-check", false)),
            namespaced("shop", "unrelated"));

    assertThat(TemplateIncluders.readingSecret("shop", "prometheus-token", templates))
        .containsExactlyInAnyOrder(
            new Template("shop", "tenant-check"),
            new Template("shop", "release-gate"),
            new Template(null, "platform-check"));
    assertThat(TemplateIncluders.readingSecret("shop", "other", templates)).isEmpty();
  }
}
